"""Fast-track placement: the phase-1 gate as the first thing a fast-track member does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import Delivery, Member
from testkit.driver import BotDriver
from tests.support.quiz import answer_all, is_question


async def _member(engine: AsyncEngine, user_id: str = "ada") -> Member:
    async with session_factory(engine)() as session:
        member = await session.scalar(select(Member).where(Member.user_id == user_id))
        assert member is not None
        return member


async def test_joining_the_fast_track_offers_the_placement_quiz(bot: BotDriver):
    reply = await bot.say("/pivot join track fast")
    assert not reply.is_error
    assert "Welcome to cohort spring" in reply.text
    assert "The fast track starts with a placement quiz" in reply.text
    start = await bot.press(reply, "Start the placement quiz")
    assert "Fast-track placement quiz (the phase-1 gate) · question 1 of 8" in start.text


async def test_the_standard_track_has_no_placement_quiz(bot: BotDriver):
    reply = await bot.say("/pivot join")
    assert "placement" not in reply.text
    assert "isn't open yet" in (await bot.say("/pivot quiz")).text


async def test_passing_placement_starts_in_phase_2_with_phase_1_counted_as_done(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    joined = await bot.say("/pivot join track fast")
    result = await answer_all(
        bot, await bot.press(joined, "Start the placement quiz"), content, right=8
    )
    assert "You placed out of phase 1. Welcome to phase 2" in result.text
    status = await bot.say("/pivot status")
    assert "Phase 2 of 4" in status.text
    assert "ahead by" in status.text  # the placed phase counts toward the plan
    member = await _member(engine)
    assert member.phase == 2
    async with session_factory(engine)() as session:
        post = await session.scalar(select(Delivery).where(Delivery.kind == "announcement"))
    assert post is not None
    assert "ada placed out of phase 1 and starts in phase 2" in post.payload["text"]


async def test_failing_placement_keeps_the_member_and_offers_the_standard_track(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    joined = await bot.say("/pivot join track fast")
    result = await answer_all(
        bot, await bot.press(joined, "Start the placement quiz"), content, right=3
    )
    assert "not yet — 3 of 8" in result.text
    assert "the placement quiz only decides where you start" in result.text
    assert "Phase 1 of 4" in (await bot.say("/pivot status")).text
    switched = await bot.press(result, "Switch to the standard track")
    assert "You're on the Standard track (24 months) now." in switched.text
    member = await _member(engine)
    assert (member.track, member.phase) == ("standard", 1)
    again = await bot.say("/pivot quiz")
    assert not is_question(again)
    assert "You can retake it from" in again.text


async def test_placement_is_offered_once(bot: BotDriver, content: ContentLibrary):
    joined = await bot.say("/pivot join track fast")
    await answer_all(bot, await bot.press(joined, "Start the placement quiz"), content, right=0)
    bot.advance(days=8)
    reply = await bot.say("/pivot quiz")
    assert "isn't open yet" in reply.text  # now the ordinary phase-1 gate rules apply


async def test_switching_track_keeps_milestones_checkins_and_phase(
    bot: BotDriver, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h set up the repo")
    await bot.say("/pivot done git-workflow https://example.org/pr/1")
    reply = await bot.say("/pivot settings track fast")
    assert "Fast track (18 months)" in reply.text
    assert "Phase 1 now runs until 30 Jan 2027" in reply.text
    assert reply.buttons[0].label == "Start the placement quiz"
    status = await bot.say("/pivot status")
    assert "fast track" in status.text
    assert "Streak: 1 week" in status.text
    assert "1/7" in status.text
    assert (await _member(engine)).track == "fast"
