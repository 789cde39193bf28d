"""Points are a ledger derived from events: exact after undo and forget, equal to a rebuild."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import Member, PointAward, QuizAnswer, QuizAttempt, Standing
from bot.domain.points import streak_bonus_weeks
from bot.domain.weeks import IsoWeek
from bot.messages import Attachment
from testkit.driver import BotDriver
from tests.support.quiz import answer_all, finish_phase_milestones


def weeks(*labels: str) -> list[IsoWeek]:
    return [IsoWeek.parse(label) for label in labels]


def test_a_streak_bonus_skips_paused_weeks_and_counts_iso_week_53():
    checked = weeks("2026-W50", "2026-W51", "2026-W53", "2027-W01")
    paused = weeks("2026-W52")
    assert streak_bonus_weeks(checked, paused, [4]) == [(4, IsoWeek(2027, 1))]
    assert streak_bonus_weeks(weeks("2026-W51", "2026-W52", "2026-W53", "2027-W01"), [], [4]) == [
        (4, IsoWeek(2027, 1))
    ]


def test_one_missed_week_is_forgiven_by_the_freeze_and_a_second_starts_the_streak_again():
    checked = weeks("2026-W49", "2026-W50", "2026-W52", "2026-W53", "2027-W01", "2027-W02")
    assert streak_bonus_weeks(checked, [], [4]) == [(4, IsoWeek(2026, 53))]
    again = weeks("2026-W49", "2026-W51", "2026-W53", "2027-W01", "2027-W02", "2027-W03")
    assert streak_bonus_weeks(again, [], [4]) == [(4, IsoWeek(2027, 3))]


def test_every_streak_that_grows_long_enough_earns_its_bonus_again():
    first = [IsoWeek(2027, w) for w in range(1, 5)]
    second = [IsoWeek(2027, w) for w in range(6, 10)]
    third = [IsoWeek(2027, w) for w in range(11, 15)]
    assert streak_bonus_weeks(first + second + third, [], [4, 8]) == [
        (4, IsoWeek(2027, 4)),
        (8, IsoWeek(2027, 9)),
        (4, IsoWeek(2027, 14)),
    ]


async def _ledger(engine: AsyncEngine) -> list[tuple]:
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(
                Member.user_id,
                PointAward.source,
                PointAward.kind,
                PointAward.points,
                PointAward.phase,
                PointAward.week,
                PointAward.earned_at,
            ).join(Member, Member.id == PointAward.member_id)
        )
        return sorted(tuple(r) for r in rows)


async def _standings(engine: AsyncEngine) -> list[tuple]:
    columns = [c for c in Standing.__table__.columns if c.name != "updated_at"]
    async with session_factory(engine)() as session:
        rows = await session.execute(select(*columns))
        return sorted(tuple(r) for r in rows)


async def _total(bot: BotDriver, name: str = "ada") -> str:
    return (await bot.say("/pivot leaderboard all", as_=name)).text.split("You: ")[-1]


async def test_a_checkin_earns_10_and_amending_it_earns_nothing_more(bot: BotDriver):
    await bot.say("/pivot join")
    first = await bot.say("/pivot checkin 5h built the parser")
    assert "+10 points for checking in" in first.text
    amended = await bot.say("/pivot checkin 6h built the parser and its tests")
    assert "points" not in amended.text
    assert "1 of 1 · 10 points" in await _total(bot)


async def test_a_milestone_earns_25_plus_5_with_evidence_and_undo_takes_them_back(
    bot: BotDriver,
):
    await bot.say("/pivot join")
    done = await bot.say("/pivot done git-workflow https://example.org/pr/1")
    assert "+25 points for the milestone, +5 for its evidence" in done.text
    plain = await bot.say("/pivot done write-tests")
    assert "+25 points for the milestone" in plain.text
    assert "55 points" in await _total(bot)
    await bot.say("/pivot undo git-workflow")
    assert "25 points" in await _total(bot)
    await bot.say("/pivot undo write-tests")
    assert "You're not on this board yet" in await _total(bot)


async def test_a_streak_bonus_lands_in_iso_week_53_across_a_pause(bot: BotDriver):
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h week one")  # 2026-W49
    bot.advance(weeks=1)
    await bot.say("/pivot checkin 5h week two")  # W50
    bot.advance(weeks=1)
    await bot.say("/pivot checkin 5h week three")  # W51
    bot.advance(weeks=1)
    await bot.say("/pivot pause 1")  # W52, away
    bot.advance(weeks=1, hours=1)
    reply = await bot.say("/pivot checkin 5h back at it")  # 2026-W53
    assert "Checked in for 2026-W53" in reply.text
    assert "+10 points for checking in, +20 for a 4-week streak" in reply.text
    assert "Streak: 4 weeks" in reply.text


async def test_incremental_points_equal_a_rebuild_from_the_events_after_every_step(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    """Each command updates the ledger itself; a rebuild after it must find nothing to change."""

    async def step(text: str, as_: str = "ada") -> None:
        reply = await bot.say(text, as_=as_)
        assert not reply.is_error, reply.text
        before = await _ledger(engine), await _standings(engine)
        rebuilt = await bot.say("/pivot leaderboard recompute", as_="olga")
        assert "Rebuilt the points of cohort spring" in rebuilt.text
        assert (await _ledger(engine), await _standings(engine)) == before, text

    await step("/pivot join")
    await step("/pivot join track fast", as_="grace")
    await step("/pivot join", as_="bob")
    for week in range(14):
        if week != 6:
            await step(f"/pivot checkin {week % 5 + 2}h week {week}")
        if week % 2 == 0:
            await step(f"/pivot checkin 3h grace week {week}", as_="grace")
        if week == 3:
            await step("/pivot done git-workflow https://example.org/pr/1")
            await step("/pivot done write-tests")
            await step("/pivot pause 2", as_="grace")
        if week == 5:
            await step("/pivot undo write-tests")
            await step("/pivot settings tz Pacific/Honolulu", as_="grace")
            await step("/pivot done write-tests https://example.org/pr/2")
        if week == 8:
            await finish_phase_milestones(bot, content, 1)
            await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
            await step("/pivot status")
        if week == 9:
            joined = await bot.say("/pivot quiz", as_="grace")
            await answer_all(bot, joined, content, right=8, as_="grace")
            await step("/pivot settings track standard", as_="grace")
            await step("/pivot checkin 4h bob's only week", as_="bob")
        if week == 10:
            await step("/pivot forget confirm", as_="bob")
            await step("/pivot leave", as_="grace")
        if week == 11:
            await step("/pivot join", as_="grace")
        bot.advance(days=7)
    ledger = await _ledger(engine)
    assert len(ledger) > 20
    assert {row[0] for row in ledger} == {"ada", "grace"}
    assert {row[2] for row in ledger} == {"checkin", "milestone", "evidence", "gate", "streak"}


async def test_points_and_quiz_attempts_are_exported_and_forgotten(
    bot: BotDriver, content: ContentLibrary, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h first week")
    await finish_phase_milestones(bot, content, 1)
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=2)
    export = await bot.say("/pivot export")
    attachment = next(b for b in export.blocks if isinstance(b, Attachment))
    data = json.loads(attachment.content)
    assert data["quiz_attempts"][0]["status"] == "failed"
    assert len(data["quiz_attempts"][0]["answers"]) == 8
    assert {"for": "checkin:2026-W49", "points": 10}.items() <= data["points"][0].items()
    await bot.say("/pivot forget confirm")
    async with session_factory(engine)() as session:
        for model in (PointAward, QuizAttempt, QuizAnswer, Standing):
            assert await session.scalar(select(func.count()).select_from(model)) == 0


async def test_recompute_is_for_admins_only(bot: BotDriver):
    await bot.say("/pivot join")
    reply = await bot.say("/pivot leaderboard recompute")
    assert reply.is_error
    assert "Only cohort admins" in reply.text
