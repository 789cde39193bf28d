"""Leaderboards: fair, deterministic, and never a way to name or shame anyone."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import Cohort, Delivery
from bot.messages import Image, Reply
from bot.views.weekly_post import weekly_leaderboard_post
from testkit.driver import BotDriver
from tests.support.quiz import answer_all, finish_phase_milestones

BOARDS = ("week", "phase", "all", "pace")


async def weekly_post(bot: BotDriver, engine: AsyncEngine, content: ContentLibrary) -> Reply:
    async with session_factory(engine)() as session:
        cohort = await session.scalar(select(Cohort).where(Cohort.name == "spring"))
        assert cohort is not None
        return await weekly_leaderboard_post(session, cohort, bot.clock.now(), content)


async def _cohort_of_three(bot: BotDriver) -> None:
    """ada checks in and ships; grace does too but hides; bob joined and did nothing yet."""
    for name in ("ada", "grace", "bob"):
        await bot.say("/pivot join", as_=name)
    await bot.say("/pivot settings leaderboard hide", as_="grace")
    await bot.say("/pivot checkin 6h api skeleton", as_="ada")
    await bot.say("/pivot done git-workflow https://example.org/pr/1", as_="ada")
    await bot.say("/pivot checkin 8h tests", as_="grace")
    await bot.say("/pivot done git-workflow https://example.org/pr/2", as_="grace")
    await bot.say("/pivot done write-tests https://example.org/pr/3", as_="grace")


async def test_a_hidden_member_is_never_named_on_any_board_or_in_the_weekly_post(
    bot: BotDriver, engine: AsyncEngine, content: ContentLibrary
):
    await _cohort_of_three(bot)
    for board in BOARDS:
        reply = await bot.say(f"/pivot leaderboard {board}", as_="ada")
        assert "grace" not in reply.text.lower(), board
    week = await bot.say("/pivot leaderboard week", as_="ada")
    assert "1. (name hidden) — 70 points" in week.text
    assert "2. ada (you) — 40 points" in week.text
    post = await weekly_post(bot, engine, content)
    assert "grace" not in post.text.lower()
    assert "(name hidden)" in post.text
    image = next(b for b in post.blocks if isinstance(b, Image))
    assert "grace" not in image.alt.lower()


async def test_a_hidden_member_sees_their_own_place_privately(bot: BotDriver):
    await _cohort_of_three(bot)
    reply = await bot.say("/pivot leaderboard week", as_="grace")
    assert "1. You (hidden from others) — 70 points" in reply.text
    assert "You: 1 of 2 · 70 points." in reply.text
    assert reply.ephemeral


async def test_members_who_did_nothing_are_never_listed(
    bot: BotDriver, engine: AsyncEngine, content: ContentLibrary
):
    await _cohort_of_three(bot)
    for board in BOARDS:
        reply = await bot.say(f"/pivot leaderboard {board}", as_="ada")
        assert "bob" not in reply.text, board
    post = await weekly_post(bot, engine, content)
    assert "bob" not in post.text
    own = await bot.say("/pivot leaderboard week", as_="bob")
    assert "You're not on this board yet" in own.text
    assert own.ephemeral


async def test_last_weeks_points_do_not_count_this_week(bot: BotDriver):
    await _cohort_of_three(bot)
    bot.advance(weeks=1)
    await bot.say("/pivot checkin 2h reading", as_="bob")
    week = await bot.say("/pivot leaderboard week", as_="ada")
    assert "(2026-W50)" in week.text
    assert "1. bob — 10 points" in week.text
    assert "ada" not in week.text.replace("You're", "")
    alltime = await bot.say("/pivot leaderboard all", as_="ada")
    assert "1. (name hidden) — 70 points" in alltime.text
    assert "2. ada (you) — 40 points" in alltime.text
    assert "3. bob — 10 points" in alltime.text


async def test_ties_break_by_who_got_there_first_then_who_joined_first(bot: BotDriver):
    for name in ("ada", "grace", "bob"):
        await bot.say("/pivot join", as_=name)
    await bot.say("/pivot checkin 5h b", as_="bob")
    bot.advance(minutes=5)
    await bot.say("/pivot checkin 5h g", as_="grace")
    await bot.say("/pivot checkin 5h a", as_="ada")
    reply = await bot.say("/pivot leaderboard week", as_="ada")
    assert "1. bob — 10 points" in reply.text  # got there first
    assert "2. ada (you) — 10 points" in reply.text  # same moment as grace, joined before her
    assert "3. grace — 10 points" in reply.text
    again = await bot.say("/pivot leaderboard week", as_="ada")
    assert again.text == reply.text


async def test_the_phase_board_ranks_only_members_in_the_same_phase(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await bot.say("/pivot join", as_="grace")
    await finish_phase_milestones(bot, content, 1)
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    await bot.say("/pivot checkin 5h docker", as_="ada")
    await bot.say("/pivot checkin 9h lots", as_="grace")
    await bot.say("/pivot done git-workflow https://example.org/pr/9", as_="grace")
    ada = await bot.say("/pivot leaderboard phase", as_="ada")
    assert "Points earned in phase 2" in ada.text
    assert "1. ada (you) — 10 points" in ada.text
    assert "grace" not in ada.text
    grace = await bot.say("/pivot leaderboard phase", as_="grace")
    assert "Points earned in phase 1" in grace.text
    assert "1. grace (you) — 40 points" in grace.text
    assert "ada" not in grace.text


async def test_the_pace_board_is_fair_to_a_late_joiner(bot: BotDriver):
    await bot.say("/pivot join")
    await bot.say("/pivot done git-workflow https://example.org/pr/1")
    bot.advance(weeks=20)
    await bot.say("/pivot join", as_="grace")
    await bot.say("/pivot done git-workflow https://example.org/pr/2", as_="grace")
    await bot.say("/pivot done write-tests https://example.org/pr/3", as_="grace")
    pace = await bot.say("/pivot leaderboard pace", as_="grace")
    assert "1. grace (you)" in pace.text
    assert "ada" not in pace.text  # 20 weeks on, one milestone: behind, so not listed
    alltime = await bot.say("/pivot leaderboard all", as_="grace")
    assert "1. grace (you) — 60 points" in alltime.text


async def test_the_weekly_post_is_public_and_carries_the_cohort_chart(
    bot: BotDriver, engine: AsyncEngine, content: ContentLibrary
):
    await _cohort_of_three(bot)
    post = await weekly_post(bot, engine, content)
    assert not post.ephemeral
    assert "Weekly standings · cohort spring · 2026-W49" in post.text
    assert "You" not in post.text
    image = next(b for b in post.blocks if isinstance(b, Image))
    assert image.png_bytes is not None
    assert image.png_bytes.startswith(b"\x89PNG")
    assert image.filename == "cohort-spring-2026-W49.png"


async def test_hiding_also_keeps_a_phase_change_out_of_the_channel(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await bot.say("/pivot settings leaderboard hide")
    await finish_phase_milestones(bot, content, 1)
    result = await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    assert "Welcome to phase 2" in result.text
    async with session_factory(engine)() as session:
        assert await session.scalar(select(Delivery).where(Delivery.kind == "announcement")) is None


async def test_the_rules_explain_points_and_the_tie_break_order(bot: BotDriver):
    reply = await bot.say("/pivot leaderboard rules")
    assert not reply.is_error
    assert "A weekly check-in: 10" in reply.text
    assert "A milestone: 25, plus 5 with an evidence link" in reply.text
    assert "A phase gate passed: 100" in reply.text
    assert "4 weeks: +20, 8 weeks: +40, 12 weeks: +60" in reply.text
    assert "all: more points, then reached that total earlier, then joined first" in reply.text
    assert "nobody is ever listed for not checking in" in reply.text
