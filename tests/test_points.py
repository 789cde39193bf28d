"""Points are a ledger derived from events: exact after undo and forget, equal to a rebuild."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.loader import ContentLibrary
from bot.db.engine import session_factory
from bot.db.models import (
    Member,
    MilestoneProgress,
    PointAward,
    QuizAnswer,
    QuizAttempt,
    Standing,
)
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
    """The member's own line on the all-time board."""
    return (await bot.say("/pivot leaderboard all", as_=name)).text.splitlines()[0]


async def _three_weekly_checkins(bot: BotDriver, as_: str = "ada") -> None:
    """Three check-ins in three ISO weeks: the phase history that backs an early milestone."""
    for week in range(3):
        await bot.say(f"/pivot checkin 4h week {week}", as_=as_)
        bot.advance(days=7)


async def test_a_checkin_earns_10_and_amending_it_earns_nothing_more(bot: BotDriver):
    await bot.say("/pivot join")
    first = await bot.say("/pivot checkin 5h built the parser")
    assert "+10 points for checking in" in first.text
    amended = await bot.say("/pivot checkin 6h built the parser and its tests")
    assert "points" not in amended.text
    assert "10 points in all" in await _total(bot)


async def test_a_milestone_earns_25_plus_5_with_evidence_and_undo_takes_them_back(
    bot: BotDriver,
):
    await bot.say("/pivot join")
    await _three_weekly_checkins(bot)
    done = await bot.say("/pivot done git-workflow https://example.org/pr/1")
    assert "+25 points for the milestone, +5 for its evidence" in done.text
    plain = await bot.say("/pivot done write-tests")
    assert "+25 points for the milestone" in plain.text
    assert "85 points in all" in await _total(bot)
    await bot.say("/pivot undo git-workflow")
    assert "55 points in all" in await _total(bot)
    await bot.say("/pivot undo write-tests")
    assert "30 points in all" in await _total(bot)


async def test_an_evidence_link_proves_one_milestone_only_however_it_is_written(
    bot: BotDriver, engine: AsyncEngine
):
    await bot.say("/pivot join")
    await bot.say("/pivot done git-workflow https://github.com/ada/notes/pull/3")
    for same in (
        "https://github.com/ada/notes/pull/3",
        "http://www.GitHub.com/ada/notes/pull/3/",
        "https://github.com/ada/notes/pull/3#discussion",
    ):
        reply = await bot.say(f"/pivot done write-tests {same}")
        assert reply.is_error, same
        assert reply.text == (
            "That link is already the evidence for `git-workflow`; each milestone needs a link "
            "of its own, e.g. `/pivot done write-tests https://github.com/you/repo/pull/12`."
        )
    async with session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(MilestoneProgress)) == 1
    again = await bot.say("/pivot done git-workflow https://github.com/ada/notes/pull/3/")
    assert not again.is_error  # the same milestone keeps its own link
    other = await bot.say("/pivot done write-tests https://github.com/ada/notes/pull/4")
    assert not other.is_error


async def test_milestone_points_stop_at_the_weekly_cap_and_undo_gives_the_room_back(
    bot: BotDriver,
):
    await bot.say("/pivot join")
    await _three_weekly_checkins(bot)

    async def mark(line: str) -> str:
        bot.advance(minutes=10)  # first come, first served: each mark a little later
        return (await bot.say(line)).text

    assert "+25 points for the milestone" in await mark("/pivot done write-tests")
    assert "+25 points for the milestone, +5 for its evidence" in await mark(
        "/pivot done git-workflow https://example.org/pr/1"
    )
    assert "+5 points for the milestone (milestone points stop at 60 a week)" in await mark(
        "/pivot done cs-curriculum https://example.org/cs50"
    )
    assert "No points for this one: milestone points stop at 60 a week" in await mark(
        "/pivot done web-service https://example.org/service"
    )
    assert "90 points in all" in await _total(bot)  # three check-ins, and 60 for milestones
    await bot.say("/pivot undo git-workflow")
    assert "90 points in all" in await _total(bot)  # cs-curriculum and web-service move up
    bot.advance(days=7)
    assert "+25 points for the milestone, +5 for its evidence" in await mark(
        "/pivot done contribute-codebase https://example.org/flask/5000"
    )


async def test_an_early_milestone_without_checkins_earns_its_points_on_its_plan_date(
    bot: BotDriver,
):
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 4h first week")
    done = await bot.say("/pivot done git-workflow https://example.org/pr/1")
    assert (
        "+30 points on 1 Feb 2027, when your plan reaches it: marked more than 4 weeks early, "
        "a milestone needs 3 check-ins in its phase to earn its points at once." in done.text
    )
    assert "10 points in all" in await _total(bot)
    bot.clock.set(datetime.fromisoformat("2027-01-31T22:00+00:00"))
    assert "10 points in all" in await _total(bot)
    bot.advance(hours=2)
    assert "40 points in all" in await _total(bot)
    week = await bot.say("/pivot leaderboard week")
    assert "1. ada (you) — 30 points" in week.text


async def test_an_unbacked_burst_in_month_one_leaves_the_pace_on_track(bot: BotDriver):
    """Three links in the first week used to read "ahead by 19 weeks"."""
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 6h getting started")
    for key in ("git-workflow", "write-tests", "cs-curriculum"):
        reply = await bot.say(f"/pivot done {key} https://example.org/{key}")
        assert "Month 1 of 24 · standard track · on track" in reply.text
    assert "Month 1 of 24 · standard track · on track" in (await bot.say("/pivot status")).text
    pace = await bot.say("/pivot leaderboard pace")
    assert "1. ada (you) — on track" in pace.text
    assert "your plan: on track" in pace.text.splitlines()[0]
    assert "10 points in all" in await _total(bot)


async def test_a_gate_passed_after_an_unbacked_burst_moves_on_but_not_ahead(
    bot: BotDriver, content: ContentLibrary
):
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 6h getting started")
    await finish_phase_milestones(bot, content, 1)
    passed = await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    assert "Welcome to phase 2" in passed.text
    status = await bot.say("/pivot status")
    assert "Phase 2 of 4" in status.text
    assert "Month 1 of 24 · standard track · on track" in status.text
    assert "1. ada (you) — on track" in (await bot.say("/pivot leaderboard pace")).text


async def test_an_early_milestone_marked_again_once_checkins_back_it_counts(bot: BotDriver):
    await bot.say("/pivot join")
    await bot.say("/pivot done write-tests https://example.org/pr/2")
    await _three_weekly_checkins(bot)
    assert "on track" in (await bot.say("/pivot status")).text
    await bot.say("/pivot undo write-tests")
    again = await bot.say("/pivot done write-tests https://example.org/pr/2")
    assert "+25 points for the milestone, +5 for its evidence" in again.text
    assert "Month 1 of 24 · standard track · ahead by 6 weeks" in again.text


async def test_with_three_checkins_in_the_phase_an_early_milestone_counts_at_once(
    bot: BotDriver,
):
    await bot.say("/pivot join")
    await _three_weekly_checkins(bot)
    done = await bot.say("/pivot done write-tests https://example.org/pr/2")
    assert "+25 points for the milestone, +5 for its evidence" in done.text
    assert "Month 1 of 24 · standard track · ahead by 6 weeks" in done.text
    pace = await bot.say("/pivot leaderboard pace")
    assert "1. ada (you) — ahead by 6 weeks" in pace.text


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
        if week == 1:  # early and without check-ins: its points wait for 1 Feb 2027
            await step("/pivot done git-workflow https://example.org/bob/1", as_="bob")
        if week == 3:
            await step("/pivot done git-workflow https://example.org/pr/1")
            await step("/pivot done write-tests")
            await step("/pivot pause 2", as_="grace")
        if week == 4:  # past the week's cap on the third
            await step("/pivot done cs-curriculum https://example.org/cs50")
            await step("/pivot done web-service https://example.org/service")
            await step("/pivot done contribute-codebase https://example.org/flask")
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
