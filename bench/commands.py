"""How fast are the everyday commands on a big database?

Seeds 10,000 members across 50 cohorts with two years of weekly check-ins and milestones, then
dispatches ``status``, ``checkin`` and ``done`` in process through the real core and prints the
median and p99 of each. Target: p99 under 20 ms on SQLite.

    .venv/bin/python bench/commands.py [--db URL] [--members N] [--samples N]
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
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import migrations
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Checkin, Cohort, Member, MilestoneProgress, Tenant
from bot.domain.weeks import IsoWeek
from bot.messages import Address, ChatUser, Invocation

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PLAN_START = date(2024, 12, 2)  # two years of weekly check-ins before NOW
COHORTS = 50
CHUNK = 20_000


async def seed(url: str, members: int) -> list[tuple[str, int]]:
    """Bulk-insert the data set; returns (user id, phase) for every member."""
    engine = create_engine(url)
    rng = random.Random(7)
    roadmap = load_library().roadmap("standard")
    weeks = []
    week = IsoWeek.of(PLAN_START)
    while week.monday() < NOW.date():
        weeks.append(week)
        week = week.next()
    people: list[tuple[str, int]] = []
    async with engine.begin() as conn:
        tenant_id = (
            await conn.execute(
                Tenant.__table__.insert().returning(Tenant.__table__.c.id),
                {"platform": "console", "external_id": "bench", "created_at": NOW},
            )
        ).scalar_one()
        cohort_ids = []
        for index in range(COHORTS):
            cohort_ids.append(
                (
                    await conn.execute(
                        Cohort.__table__.insert().returning(Cohort.__table__.c.id),
                        {
                            "tenant_id": tenant_id,
                            "name": f"cohort-{index:02d}",
                            "start_date": PLAN_START,
                            "timezone": "Europe/Berlin",
                            "channel_id": f"c{index}",
                            "channel_name": f"c{index}",
                            "leaderboard_weekday": 4,
                            "leaderboard_time": dtime(16, 0),
                            "roadmap_key": "standard",
                            "created_at": NOW,
                        },
                    )
                ).scalar_one()
            )
        member_rows = []
        for index in range(members):
            phase = rng.randint(1, 4)
            user_id = f"u{index:05d}"
            people.append((user_id, phase))
            member_rows.append(
                {
                    "tenant_id": tenant_id,
                    "cohort_id": cohort_ids[index % COHORTS],
                    "user_id": user_id,
                    "display_name": f"Member {index}",
                    "track": "standard",
                    "level": "mid",
                    "timezone": rng.choice(["Europe/Berlin", "America/New_York", "Asia/Tokyo"]),
                    "nudge_weekday": 0,
                    "nudge_time": dtime(9, 0),
                    "joined_at": datetime.combine(PLAN_START, datetime.min.time(), UTC),
                    "plan_start": PLAN_START,
                    "phase": phase,
                    "phase_started_on": PLAN_START,
                    "leaderboard_visible": True,
                    "dms_enabled": True,
                    "left_at": None,
                }
            )
        for start in range(0, len(member_rows), CHUNK):
            await conn.execute(Member.__table__.insert(), member_rows[start : start + CHUNK])
        ids = (
            (
                await conn.execute(
                    Member.__table__.select()
                    .with_only_columns(Member.__table__.c.id)
                    .order_by(Member.__table__.c.id)
                )
            )
            .scalars()
            .all()
        )
        checkins, progress = [], []
        for member_id, (_, phase) in zip(ids, people, strict=True):
            for week in weeks:
                if rng.random() < 0.85:
                    moment = datetime.combine(week.monday(), datetime.min.time(), UTC)
                    checkins.append(
                        {
                            "member_id": member_id,
                            "iso_week": str(week),
                            "week_start": week.monday(),
                            "hours": 6.0,
                            "summary": "steady work on the plan",
                            "blockers": None,
                            "confidence": 3,
                            "created_at": moment,
                            "updated_at": moment,
                            "amendments": 0,
                            "request_id": None,
                        }
                    )
            for p in roadmap.phases[:phase]:
                for milestone in p.milestones:
                    if p.number < phase or rng.random() < 0.4:
                        progress.append(
                            {
                                "member_id": member_id,
                                "milestone_key": milestone.key,
                                "done_at": NOW - timedelta(days=30),
                                "evidence_url": "https://example.org/proof",
                            }
                        )
            if len(checkins) >= CHUNK * 5:
                await conn.execute(Checkin.__table__.insert(), checkins)
                checkins.clear()
        if checkins:
            await conn.execute(Checkin.__table__.insert(), checkins)
        for start in range(0, len(progress), CHUNK):
            await conn.execute(
                MilestoneProgress.__table__.insert(), progress[start : start + CHUNK]
            )
    await engine.dispose()
    return people


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(url: str, people: list[tuple[str, int]], samples: int) -> None:
    engine = create_engine(url)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = PivotCore(session_factory(engine), ManualClock(NOW), load_library(), settings)
    roadmap = core.content.roadmap("standard")
    rng = random.Random(11)
    counter = 0

    def invocation(text: str, user_id: str) -> Invocation:
        nonlocal counter
        counter += 1
        user = ChatUser("console", "bench", user_id, user_id)
        return Invocation(
            None, {}, text, user, Address("console", "bench", user_id=user_id), f"bench-{counter}"
        )

    def commands(user_id: str, phase: int) -> dict[str, str]:
        key = rng.choice(roadmap.phase(phase).milestones).key
        return {
            "status": "status",
            "checkin": f"checkin 5h benchmark week {rng.randint(1, 9)} | none | 4",
            "done": f"done {key} https://example.org/pr/{rng.randint(1, 999)}",
        }

    for user_id, _phase in people[:50]:  # warm caches and the connection pool
        await core.handle(invocation("status", user_id))
    timings: dict[str, list[float]] = {"status": [], "checkin": [], "done": []}
    for _ in range(samples):
        user_id, phase = rng.choice(people)
        for name, text in commands(user_id, phase).items():
            started = time.perf_counter()
            reply = await core.handle(invocation(text, user_id))
            timings[name].append((time.perf_counter() - started) * 1000)
            if reply.is_error:
                raise SystemExit(f"{name} failed during the benchmark: {reply.text}")
    await engine.dispose()
    print(f"{'command':<10}{'median ms':>12}{'p99 ms':>10}   (n={samples} each)")
    for name, values in timings.items():
        print(f"{name:<10}{statistics.median(values):>12.2f}{_percentile(values, 0.99):>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url = args.db or f"sqlite:///{Path(workdir) / 'bench.db'}"
        migrations.upgrade(url)
        started = time.perf_counter()
        people = asyncio.run(seed(url, args.members))
        print(
            f"seeded {len(people):,} members in {COHORTS} cohorts with two years of weekly "
            f"check-ins in {time.perf_counter() - started:.1f} s"
        )
        asyncio.run(measure(url, people, args.samples))


if __name__ == "__main__":
    main()
