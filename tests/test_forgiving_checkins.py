"""Last week's check-in until Wednesday, the streak freeze, and streak milestones celebrated."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.models import Checkin, PointAward
from testkit.driver import BotDriver


async def checkins(bot: BotDriver) -> list[tuple[str, float, str]]:
    async with bot.core.sessions() as session:
        rows = await session.execute(
            select(Checkin.iso_week, Checkin.hours, Checkin.summary).order_by(Checkin.iso_week)
        )
        return [tuple(row) for row in rows]


async def streak_awards(bot: BotDriver) -> list[str]:
    async with bot.core.sessions() as session:
        rows = await session.scalars(
            select(PointAward.source).where(PointAward.kind == "streak").order_by(PointAward.id)
        )
        return list(rows)


async def test_checkin_last_records_the_week_just_ended_until_wednesday(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    bot.advance(weeks=1, days=2)  # Wednesday of W50
    reply = await bot.say("/pivot checkin last 5h read the orders service | none | 4")
    assert reply.text.startswith("Checked in for 2026-W49 (last week): 5h — read the orders")
    assert await checkins(bot) == [("2026-W49", 5.0, "read the orders service")]


async def test_last_weeks_check_in_can_be_amended_in_its_window(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 3h a first draft")  # W49, on time
    bot.advance(weeks=1)
    reply = await bot.say("/pivot checkin last 6h the whole service, with tests")
    assert reply.text.startswith("You had already checked in for 2026-W49 (last week), so this")
    assert await checkins(bot) == [("2026-W49", 6.0, "the whole service, with tests")]


async def test_after_wednesday_last_week_is_closed_in_one_line_that_says_what_to_do(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join")
    bot.advance(weeks=1, days=3)  # Thursday of W50
    reply = await bot.say("/pivot checkin last 5h too late")
    assert reply.is_error
    assert reply.text == (
        "Last week's check-in (2026-W49) closed at the end of Wednesday 9 Dec 2026, your time. "
        "Check in for this week instead: `/pivot checkin 5h what you did | blockers`."
    )
    assert await checkins(bot) == []


async def test_the_window_follows_the_members_own_wednesday(bot: BotDriver) -> None:
    await bot.say("/pivot join tz Pacific/Auckland")
    bot.clock.set(datetime(2026, 12, 9, 10, 30, tzinfo=UTC))  # Wednesday 23:30 in Auckland
    assert not (await bot.say("/pivot checkin last 2h just in time")).is_error
    bot.advance(hours=1)  # Thursday there, still Wednesday in UTC
    assert (await bot.say("/pivot checkin last 2h a bit later")).is_error


async def test_there_is_no_last_week_before_the_plan_began(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot checkin last 2h before I joined")
    assert reply.is_error
    assert reply.text.startswith("Your plan starts on 30 Nov 2026, so there is no last week")


async def test_status_offers_last_week_until_it_closes(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    bot.advance(weeks=1)  # W49 went by without a check-in
    monday = await bot.say("/pivot status")
    assert "`/pivot checkin last 5h what you did | blockers`" in monday.text
    assert next(b.label for b in monday.buttons) == "Check in for last week"
    bot.advance(days=3)
    thursday = await bot.say("/pivot status")
    assert "checkin last" not in thursday.text
    assert next(b.label for b in thursday.buttons) == "Check in"


async def test_checking_in_last_week_late_mends_the_streak_and_its_points(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    for _ in range(3):  # W49-W51 on time
        await bot.say("/pivot checkin 5h steady")
        bot.advance(weeks=1)
    bot.advance(weeks=1)  # W52 had no check-in; now Monday of W53
    reply = await bot.say("/pivot checkin 4h this week first")
    assert "Streak: 4 weeks" in reply.text  # the freeze covers W52 for now
    assert "`/pivot checkin last" in reply.text
    reply = await bot.say("/pivot checkin last 4h caught up")
    assert "Streak: 5 weeks" in reply.text
    assert "Streak freeze: ready" in (await bot.say("/pivot status")).text
    assert await streak_awards(bot) == ["streak:4:2026-W52"]


async def test_the_freeze_is_spent_by_itself_and_the_status_says_so(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h week one")
    ready = await bot.say("/pivot status")
    assert "Streak freeze: ready, so one missed week in this phase won't break your streak." in (
        ready.text
    )
    bot.advance(weeks=2, days=3)  # Thursday of W51: W50 is closed and was missed
    spent = await bot.say("/pivot status")
    assert "Streak: 1 week · not checked in this week" in spent.text
    assert "Streak freeze: used for 2026-W50; phase 2 brings a new one." in spent.text


async def test_streak_milestones_are_celebrated_up_to_a_year(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    celebrated = {}
    for week in range(1, 53):
        reply = await bot.say(f"/pivot checkin 3h week {week}")
        if "🔥" in reply.text:
            celebrated[week] = next(line for line in reply.text.splitlines() if "🔥" in line)
            assert "for " in reply.text
            assert "-week streak" in reply.text
        bot.advance(weeks=1)
    assert list(celebrated) == [4, 8, 12, 26, 52]
    assert celebrated[8] == "🔥 That makes an 8-week streak. Well kept!"
    assert celebrated[26] == "🔥 That makes a 26-week streak. Well kept!"


async def test_an_eight_week_streak_reads_with_an(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    for _ in range(7):
        await bot.say("/pivot checkin 3h steady")
        bot.advance(weeks=1)
    reply = await bot.say("/pivot checkin 3h steady")
    assert "+10 points for checking in, +40 for an 8-week streak" in reply.text


async def test_hours_with_a_space_are_saved_as_hours(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot checkin 6 h did stuff")
    assert reply.text.startswith("Checked in for 2026-W49: 6h — did stuff")
    assert await checkins(bot) == [("2026-W49", 6.0, "did stuff")]
