"""Joining a cohort and seeing where you stand against your own plan."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Member
from testkit.driver import BotDriver


async def test_joining_on_the_standard_track_starts_month_1_of_24(bot: BotDriver) -> None:
    reply = await bot.say("/pivot join track standard level mid tz Europe/Berlin")
    assert "Welcome to cohort spring, ada!" in reply.text
    assert "Month 1 of 24 · standard track · on track" in reply.text
    assert "Mondays at 09:00 Europe/Berlin" in reply.text


async def test_joining_on_the_fast_track_is_an_18_month_plan(bot: BotDriver) -> None:
    reply = await bot.say("/pivot join track fast level senior")
    assert "Month 1 of 18 · fast track" in reply.text


async def test_a_plan_shorter_than_18_months_is_refused_with_the_reason(bot: BotDriver) -> None:
    reply = await bot.say("/pivot join months 12")
    assert reply.is_error
    assert "too short" in reply.text
    assert "Eighteen months is the floor" in reply.text
    assert "Month 1 of 18" in (await bot.say("/pivot join months 18")).text


async def test_a_second_join_says_you_are_already_in_and_shows_status(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot join track fast")
    assert "You're already in cohort spring" in reply.text
    assert "standard track" in reply.text  # the second join changed nothing


async def test_joining_in_a_cohort_channel_picks_that_cohort(bot: BotDriver) -> None:
    await bot.say("/pivot cohort create autumn #pivot-autumn", as_="olga")
    ambiguous = await bot.say("/pivot join", as_="bea")
    assert ambiguous.is_error
    assert "Cohorts here: autumn, spring" in ambiguous.text
    reply = await bot.say("/pivot join", as_="bea", channel="pivot-autumn")
    assert "Welcome to cohort autumn" in reply.text


async def test_months_count_from_the_cohort_start_when_it_is_later(bot: BotDriver) -> None:
    await bot.say("/pivot cohort create winter start 2027-01-04", as_="olga")
    reply = await bot.say("/pivot join winter")
    assert "Your plan starts on 4 Jan 2027, when the cohort starts" in reply.text
    bot.advance(weeks=14)  # 8 March 2027: month 3 counted from 4 January
    assert "Month 3 of 24" in (await bot.say("/pivot status")).text


async def test_status_counts_months_and_shows_the_next_milestone(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    bot.advance(days=95)
    reply = await bot.say("/pivot status")
    assert "Phase 1 of 4 · Software-engineering fundamentals" in reply.text
    assert "Month 4 of 24" in reply.text
    assert "Next milestone: Use Git beyond commits" in reply.text
    assert "behind by" in reply.text


async def test_the_manager_conversation_surfaces_in_months_3_and_4_only(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    bot.advance(days=40)  # month 2
    assert "Talk to your manager" not in (await bot.say("/pivot status")).text
    bot.advance(days=25)  # month 3
    month3 = await bot.say("/pivot status")
    assert "Month 3 of 24" in month3.text
    assert "Talk to your manager: month 3–4 is the time" in month3.text
    assert "a stretch project" in month3.text
    bot.advance(days=62)  # month 5
    assert "Talk to your manager" not in (await bot.say("/pivot status")).text


async def test_a_done_manager_conversation_stops_the_prompt(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    bot.advance(days=65)
    await bot.say("/pivot done manager-conversation")
    assert "Talk to your manager" not in (await bot.say("/pivot status")).text


async def test_leaving_keeps_history_and_joining_again_restores_it(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 4h read a codebase")
    reply = await bot.say("/pivot leave")
    assert "You've left cohort spring" in reply.text
    assert "haven't joined" in (await bot.say("/pivot status")).text
    back = await bot.say("/pivot join")
    assert "Welcome back" in back.text
    assert "Streak: 1 week" in back.text


async def test_display_name_follows_the_platform(bot: BotDriver) -> None:
    await bot.say("/pivot join", as_="ada")
    await bot.say("/pivot status", as_="Ada")  # same id, new display name
    async with bot.core.sessions() as session:
        member = await session.scalar(select(Member).where(Member.user_id == "ada"))
    assert member is not None
    assert member.display_name == "Ada"


async def test_rejoining_keeps_the_plan_and_its_pace(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    bot.advance(weeks=10)
    before = await bot.say("/pivot status")
    await bot.say("/pivot leave")
    bot.advance(weeks=4)
    back = await bot.say("/pivot join")
    assert "Your plan keeps its start, 30 Nov 2026." in back.text
    assert "Month 4 of 24" in (await bot.say("/pivot status")).text
    assert "Month 3 of 24" in before.text
