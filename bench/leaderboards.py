"""Leaderboards and the cohort chart for a 5,000-member cohort with two years of history.

Seeds the history directly with bulk inserts (check-ins, milestones, pauses, gate attempts),
rebuilds the points ledger with ``recompute_points``, then times every board through the
dispatcher, as a member would ask for it, and the chart render on its own.

    python bench/leaderboards.py [--db URL] [--members 5000] [--runs 200]

Every figure is printed beside the floor (bench/floor.py) measured in the same run, and as a
multiple of it. Targets: every board p99 under 50 ms on SQLite; the chart under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

import migrations
from bench.floor import Floor, measure_floor
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import (
    Checkin,
    Cohort,
    Member,
    MilestoneProgress,
    Pause,
    QuizAttempt,
    Tenant,
)
from bot.domain.plan import phase_windows
from bot.domain.weeks import IsoWeek
from bot.messages import Address, ChatUser, Invocation
from bot.services.cohort_stats import cohort_stats
from bot.services.points import recompute_points
from bot.services.snapshot import required_targets
from bot.views.cohort_chart import render_cohort_chart

COHORT_START = date(2026, 11, 30)
NOW = datetime(2028, 11, 24, 15, 0, tzinfo=UTC)  # a Friday, two years in
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/Los_Angeles")
CHUNK = 5000
WARM_UP = 10  # first runs fill SQLite's page cache; the figures are for a running bot


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, wall_time(rng.randrange(7, 22), rng.randrange(60)), UTC)


async def _bulk(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model), rows[start : start + CHUNK])


def _gate_attempts(
    member_id: int, phase: int, passed_on: date, rng: random.Random
) -> list[dict[str, Any]]:
    """A pass, after a failed attempt a week earlier for about a third of members."""
    outcomes = ("failed", "passed") if rng.random() < 0.3 else ("passed",)
    rows = []
    for number, status in enumerate(outcomes, start=1):
        at = _moment(passed_on - timedelta(days=8 * (len(outcomes) - number)), rng)
        rows.append(
            {
                "member_id": member_id,
                "phase": phase,
                "number": number,
                "kind": "gate",
                "bank_key": "standard",
                "seed": number,
                "questions": [],
                "size": 8,
                "pass_percent": 80,
                "position": 8,
                "correct": 8 if status == "passed" else 4,
                "status": status,
                "started_at": at,
                "updated_at": at,
                "finished_at": at,
                "retry_at": None if status == "passed" else at + timedelta(days=7),
                "advanced_at": at if status == "passed" else None,
            }
        )
    return rows


def _member_history(member_id: int, rng: random.Random, roadmap: Any) -> dict[str, Any]:
    """One member's plan, check-ins, milestones, pauses and gate attempts, as rows."""
    late = rng.random() < 0.3
    joined_on = COHORT_START + timedelta(days=rng.randrange(0, 600 if late else 60))
    track = roadmap.track("fast" if rng.random() < 0.2 else "standard")
    windows = phase_windows(joined_on, track.phase_months)
    today = NOW.date()
    diligence = rng.uniform(0.35, 0.97)
    speed = rng.uniform(0.6, 1.4)
    rows: dict[str, Any] = {"checkins": [], "milestones": [], "pauses": [], "attempts": []}
    week = IsoWeek.of(joined_on)
    while week.monday() <= today:
        if rng.random() < diligence:
            day = max(week.monday(), joined_on) + timedelta(days=rng.randrange(0, 3))
            at = _moment(min(day, today), rng)
            rows["checkins"].append(
                {
                    "member_id": member_id,
                    "iso_week": str(week),
                    "week_start": week.monday(),
                    "hours": rng.choice((2.0, 4.0, 6.0, 8.0, 10.0)),
                    "summary": "steady progress",
                    "blockers": None,
                    "confidence": rng.randrange(1, 6),
                    "created_at": at,
                    "updated_at": at,
                    "amendments": 0,
                    "request_id": None,
                }
            )
        week = week.next()
    if rng.random() < 0.15:
        start = joined_on + timedelta(days=rng.randrange(30, 300))
        if start < today:
            rows["pauses"].append(
                {
                    "member_id": member_id,
                    "starts_at": _moment(start, rng),
                    "ends_at": _moment(start + timedelta(weeks=rng.randrange(1, 5)), rng),
                }
            )
    phase = 1
    targets = required_targets(roadmap, windows, joined_on)
    while phase <= 4:
        finished_on = joined_on
        for target in (t for t in targets if t.phase == phase):
            done_on = joined_on + timedelta(days=int((target.due_on - joined_on).days * speed))
            if done_on >= today:
                break
            finished_on = max(finished_on, done_on)
            rows["milestones"].append(
                {
                    "member_id": member_id,
                    "milestone_key": target.key,
                    "done_at": _moment(done_on, rng),
                    "evidence_url": (
                        f"https://example.org/{member_id}/{target.key}"
                        if rng.random() < 0.6
                        else None
                    ),
                }
            )
        else:
            passed_on = finished_on + timedelta(days=rng.randrange(1, 10))
            if phase == 4 or passed_on >= today:
                break
            rows["attempts"].extend(_gate_attempts(member_id, phase, passed_on, rng))
            phase += 1
            continue
        break
    rows["member"] = {
        "id": member_id,
        "user_id": f"m{member_id:05d}",
        "display_name": f"Member {member_id:05d}",
        "track": track.key,
        "level": "mid",
        "timezone": rng.choice(TIMEZONES),
        "nudge_weekday": 0,
        "nudge_time": wall_time(9, 0),
        "joined_at": _moment(joined_on, rng),
        "plan_start": joined_on,
        "phase": phase,
        "phase_started_on": joined_on,
        "leaderboard_visible": rng.random() > 0.1,
        "dms_enabled": True,
        "left_at": _moment(today - timedelta(days=30), rng) if rng.random() < 0.05 else None,
    }
    return rows


async def seed(core: PivotCore, members: int) -> Cohort:
    roadmap = core.content.roadmap(None)
    rng = random.Random(20261130)  # the same history on every run
    async with core.sessions() as session, session.begin():
        tenant = Tenant(platform="console", external_id="bench", created_at=NOW)
        session.add(tenant)
        await session.flush()
        cohort = Cohort(
            tenant_id=tenant.id,
            name="bench",
            start_date=COHORT_START,
            timezone="UTC",
            channel_id="bench",
            channel_name="bench",
            leaderboard_weekday=4,
            leaderboard_time=wall_time(16, 0),
            roadmap_key="standard",
            created_at=NOW,
        )
        session.add(cohort)
        await session.flush()
        histories = [_member_history(i + 1, rng, roadmap) for i in range(members)]
        await _bulk(
            session,
            Member,
            [{**h["member"], "tenant_id": tenant.id, "cohort_id": cohort.id} for h in histories],
        )
        for key, model in (
            ("checkins", Checkin),
            ("milestones", MilestoneProgress),
            ("pauses", Pause),
            ("attempts", QuizAttempt),
        ):
            await _bulk(session, model, [row for h in histories for row in h[key]])
        counts = {k: sum(len(h[k]) for h in histories) for k in ("checkins", "milestones")}
        print(
            f"seeded {members} members, {counts['checkins']} check-ins, "
            f"{counts['milestones']} milestones"
        )
    return cohort


def _summary(name: str, samples: list[float], floor: Floor) -> str:
    """Times and their ratio to the floor, which does not drift with the machine's load."""
    ordered = sorted(samples)
    median_ms = statistics.median(ordered) * 1000
    p99_ms = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000
    return (
        f"{name:<28} median {median_ms:7.1f} ms ({median_ms / floor.median_ms:5.1f}x)"
        f"   p99 {p99_ms:7.1f} ms ({p99_ms / floor.p99_ms:5.1f}x)   (n={len(ordered)})"
    )


async def run(url: str, members: int, runs: int) -> None:
    await asyncio.to_thread(migrations.upgrade, url)
    engine = create_engine(url)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = PivotCore(session_factory(engine), ManualClock(NOW), load_library(), settings)
    try:
        started = time.perf_counter()
        cohort = await seed(core, members)
        print(f"seed: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        async with core.sessions() as session, session.begin():
            result = await recompute_points(session, cohort, core.content, NOW)
        print(
            f"recompute_points: {time.perf_counter() - started:.1f} s "
            f"({result.awards_after} awards, {result.points_after} points)"
        )
        async with core.sessions() as session:
            viewers = list(
                await session.scalars(
                    select(Member.user_id).where(Member.left_at.is_(None)).order_by(Member.id)
                )
            )
        rng = random.Random(7)
        floor = await measure_floor(engine)
        print()
        print(floor.describe() + "; each figure below is also given as a multiple of it")
        for command in (
            "leaderboard week",
            "leaderboard phase",
            "leaderboard all",
            "leaderboard pace",
        ):
            samples = []
            for run_number in range(WARM_UP + runs):
                user = ChatUser("console", "bench", rng.choice(viewers), "bench")
                inv = Invocation(None, {}, command, user, Address("console", "bench"))
                began = time.perf_counter()
                reply = await core.answer(inv)
                if run_number >= WARM_UP:
                    samples.append(time.perf_counter() - began)
                assert not reply.is_error, reply.text
            print(_summary(f"/pivot {command}", samples, floor))
        async with core.sessions() as session:
            stats = await cohort_stats(session, cohort, NOW)
        renders = []
        for _ in range(10):
            began = time.perf_counter()
            png = render_cohort_chart(stats)
            renders.append(time.perf_counter() - began)
        print(_summary("chart render (CPU only)", renders, floor) + f"   {len(png) / 1024:.0f} KB")
        for command, count in (("cohort chart bench", 10), ("cohort report bench", 10)):
            samples = []
            admin = ChatUser("console", "bench", "admin", "admin", is_platform_admin=True)
            for _ in range(count):
                inv = Invocation(None, {}, command, admin, Address("console", "bench"))
                began = time.perf_counter()
                reply = await core.answer(inv)
                samples.append(time.perf_counter() - began)
                assert not reply.is_error, reply.text
            print(_summary(f"/pivot {command}", samples, floor))
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.db or f"sqlite:///{Path(directory) / 'bench.db'}"
        asyncio.run(run(url, args.members, args.runs))


if __name__ == "__main__":
    main()
