"""The outbox delivers exactly once: across replicas, crashes, downtime and platform failures."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Delivery
from bot.ports import RetryAfter
from scheduler.deliverer import Deliverer
from scheduler.jobs import DueJobs
from scheduler.timing import MAX_ATTEMPTS
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, join_at, utc
from tests.support.queued_dms import enqueue_nudges

ROOT = Path(__file__).resolve().parents[2]


async def _statuses(core: PivotCore) -> dict[str, int]:
    async with core.sessions() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return dict(rows.all())


async def test_two_replicas_send_each_of_1000_deliveries_exactly_once(
    core: PivotCore, clock: ManualClock, database_url: str
) -> None:
    await enqueue_nudges(core, 1000, clock.now())
    outbox = RecordingOutbox(delay=0.001)
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        replicas = [
            Deliverer(
                session_factory(e),
                clock,
                core.content,
                {"console": outbox},
                batch_size=50,
                concurrency=8,
            )
            for e in engines
        ]
        first, second = await asyncio.gather(*(r.run() for r in replicas))
    finally:
        for engine in engines:
            await engine.dispose()
    assert first.sent + second.sent == 1000
    assert first.sent > 0
    assert second.sent > 0  # both really worked
    assert len(outbox.sent) == 1000
    assert set(outbox.attempts.values()) == {1}
    assert await _statuses(core) == {"sent": 1000}


async def test_a_crash_between_send_and_record_loses_nothing_and_duplicates_at_most_one(
    core: PivotCore, clock: ManualClock, database_url: str, tmp_path: Path
) -> None:
    await enqueue_nudges(core, 5, clock.now())
    log = tmp_path / "sent.log"
    doomed = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.crashing_deliverer",
        database_url,
        clock.now().isoformat(),
        str(log),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert doomed.stdout is not None
        line = await doomed.stdout.readline()
        assert line.strip() == b"SENT"  # it sent, and has not recorded it
    finally:
        doomed.kill()
        await doomed.wait()
    assert await _statuses(core) == {"sending": 5}  # claimed, then the process died
    outbox = RecordingOutbox()
    survivor = Deliverer(core.sessions, clock, core.content, {"console": outbox})
    assert (await survivor.run()).sent == 0  # the dead process's lease still holds
    clock.advance(timedelta(minutes=2, seconds=1))
    assert (await survivor.run()).sent == 5  # every claim expired: nothing lost
    crashed_sends = log.read_text().split()
    duplicates = sum(1 for target in crashed_sends if target in outbox.attempts)
    assert duplicates == len(crashed_sends) == 1  # at most the one message in flight
    assert await _statuses(core) == {"sent": 5}


async def test_pending_deliveries_go_out_after_a_restart(
    core: PivotCore, clock: ManualClock
) -> None:
    await enqueue_nudges(core, 3, clock.now())  # planned before the process stopped
    outbox = RecordingOutbox()
    assert (
        await Deliverer(core.sessions, clock, core.content, {"console": outbox}).run()
    ).sent == 3


async def test_after_downtime_a_passed_weeks_nudge_is_skipped_not_sent(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, utc(2026, 12, 1, 12), "ada", "UTC")
    clock.set(utc(2026, 12, 7, 9, 30))
    await jobs.plan()  # planned, then the process went down before delivering
    clock.set(utc(2026, 12, 15, 10))  # back up on Tuesday of the following week
    _, delivered = await jobs.run_due()
    # A Monday nudge asks about the week just ended, so each is filed under that week.
    nudges = {d.period: d for d in await deliveries(bot.core, "nudge")}
    assert nudges["2026-W49"].status == "skipped_stale"  # W49 closed on Wednesday 9 Dec
    assert nudges["2026-W49"].last_error == "its period passed before it could be sent"
    assert nudges["2026-W50"].status == "sent"
    assert delivered.stale >= 1
    assert [t.splitlines()[0] for t in outbox.texts_to("@ada")] == [
        "Hi ada, how did last week (2026-W50) go?"
    ]


async def test_after_downtime_only_the_latest_leaderboard_post_goes_out(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot checkin 3h a first week")
    clock.set(utc(2026, 12, 4, 16, 30))  # Friday, just after the spring cohort's slot
    await jobs.plan()
    clock.set(utc(2026, 12, 16, 12))  # the scheduler is down; commands still come in
    await bot.say("/pivot checkin 4h a third week")
    clock.set(utc(2026, 12, 19, 9))  # down for two weeks, back on a Saturday
    await jobs.run_due()
    posts = {d.period: d.status for d in await deliveries(bot.core, "leaderboard")}
    assert posts == {"2026-W49": "skipped_stale", "2026-W51": "sent"}
    assert [t for t, _ in outbox.sent if t.startswith("#")] == ["#pivot-spring"]


async def test_a_catch_up_post_pairs_its_weeks_standings_with_that_weeks_chart(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join", as_="ada")
    await bot.say("/pivot checkin 5h the first week", as_="ada")
    clock.set(utc(2026, 12, 7, 10))  # down over Friday's slot, back on Monday of 2026-W50
    await jobs.run_due()
    [post] = outbox.texts_to("#pivot-spring")
    assert "Weekly standings · cohort spring · 2026-W49" in post
    assert "1. ada — 10 points" in post
    chart = post[post.index("(image: ") :]
    assert chart.endswith("49: 100%.)")  # the chart ends with the post's own week, complete
    assert "50:" not in chart


async def test_a_429_is_retried_after_the_time_asked_and_dies_after_8_attempts(
    core: PivotCore, clock: ManualClock
) -> None:
    await enqueue_nudges(core, 1, clock.now())
    outbox = RecordingOutbox(answer=lambda _target: RetryAfter(30, "HTTP 429"))
    deliverer = Deliverer(core.sessions, clock, core.content, {"console": outbox})
    assert (await deliverer.run()).retried == 1
    [row] = await deliveries(core)
    assert row.status == "retry"
    assert row.next_attempt_at >= clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    await deliverer.run()
    assert outbox.attempts["@u0"] == 1  # not before the time the platform asked for
    for _ in range(MAX_ATTEMPTS):
        clock.advance(timedelta(hours=2))
        await deliverer.run()
    [row] = await deliveries(core)
    assert (row.status, row.attempts, row.last_error) == ("dead", MAX_ATTEMPTS, "HTTP 429")
    assert outbox.attempts["@u0"] == MAX_ATTEMPTS


async def test_a_429_then_success_is_sent_once(core: PivotCore, clock: ManualClock) -> None:
    await enqueue_nudges(core, 1, clock.now())
    answers = iter([RetryAfter(2, "HTTP 429")])
    outbox = RecordingOutbox(answer=lambda _target: next(answers, None))
    deliverer = Deliverer(core.sessions, clock, core.content, {"console": outbox})
    await deliverer.run()
    clock.advance(timedelta(minutes=1))
    assert (await deliverer.run()).sent == 1
    assert outbox.texts_to("@u0") == ["hello 0"]


async def test_stopping_releases_claims_that_were_not_started(
    core: PivotCore, clock: ManualClock
) -> None:
    await enqueue_nudges(core, 20, clock.now())
    outbox = RecordingOutbox(delay=0.05)
    deliverer = Deliverer(core.sessions, clock, core.content, {"console": outbox}, concurrency=2)
    task = asyncio.create_task(deliverer.run())
    await outbox.attempted.wait()
    deliverer.stop()
    counts = await task
    assert counts.sent >= 1
    assert counts.released >= 1
    statuses = await _statuses(core)
    assert statuses.get("sending", 0) == 0  # nothing left stuck behind a lease
    assert statuses["pending"] == counts.released


async def test_a_platform_without_an_outbox_is_left_for_a_process_that_has_one(
    core: PivotCore, clock: ManualClock
) -> None:
    await enqueue_nudges(core, 2, clock.now())
    deliverer = Deliverer(core.sessions, clock, core.content, {"slack": RecordingOutbox()})
    assert (await deliverer.run()).sent == 0
    assert await _statuses(core) == {"pending": 2}


def test_run_due_twice_at_the_same_time_sends_nothing_the_second_time(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": "sqlite:///j.db"}

    def pivotbot(*args: str, stdin: str = "") -> str:
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            input=stdin,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    pivotbot("console", "--now", "2026-11-30T08:00", stdin="/pivot join\n")
    first = pivotbot("jobs", "run-due", "--now", "2026-11-30T09:30")
    assert "[DM to ada] Hi ada, time for your 2026-W49 check-in" in first
    assert "planned: 1 nudge" in first
    second = pivotbot("jobs", "run-due", "--now", "2026-11-30T09:30")
    assert "[DM to" not in second
    assert "planned: nothing new is due" in second
    assert "delivered: nothing to send" in second
    status = pivotbot("jobs", "status", "--now", "2026-11-30T09:30")
    assert "outbox: 1 sent" in status
    assert "next weekly nudge: 2026-12-07 09:00 UTC" in status


async def test_the_scheduler_runs_plan_and_deliver_on_its_own(
    bot: BotDriver, content: ContentLibrary, outbox: RecordingOutbox
) -> None:
    from scheduler.runtime import DELIVER_JOB, PLAN_JOB, SchedulerRuntime

    await enqueue_nudges(bot.core, 2, bot.clock.now())
    jobs = DueJobs(bot.core.sessions, bot.clock, content, {"console": outbox})
    runtime = SchedulerRuntime(jobs, plan_every=60, deliver_every=60)
    runtime.start()
    try:
        assert runtime._scheduler is not None
        assert {job.id for job in runtime._scheduler.get_jobs()} == {PLAN_JOB, DELIVER_JOB}
        for _ in range(500):
            if len(outbox.sent) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        await runtime.stop()
    assert sorted(t for t, _ in outbox.sent) == ["@u0", "@u1"]
