"""Seed a big database quickly, for the benchmarks: tenants, cohorts, members, two years of
weekly check-ins and milestones, with bulk inserts rather than the commands."""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.loader import load_library
from bot.db.engine import create_engine, session_factory
from bot.db.models import Checkin, Cohort, Member, MilestoneProgress, Tenant
from bot.domain.weeks import IsoWeek
from bot.services.points import recompute_points

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PLAN_START = date(2024, 12, 2)  # two years of weekly check-ins before NOW
COHORTS = 50
CHUNK = 20_000


async def seed(
    url: str, members: int, platform: str = "console", start: date = PLAN_START
) -> list[tuple[str, int]]:
    """Bulk-insert the data set; returns (user id, phase) for every member."""
    engine = create_engine(url)
    rng = random.Random(7)
    roadmap = load_library().roadmap("standard")
    weeks = []
    week = IsoWeek.of(start)
    while week.monday() < NOW.date():
        weeks.append(week)
        week = week.next()
    people: list[tuple[str, int]] = []
    async with engine.begin() as conn:
        tenant_id = (
            await conn.execute(
                Tenant.__table__.insert().returning(Tenant.__table__.c.id),
                {"platform": platform, "external_id": "bench", "created_at": NOW},
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
                            "start_date": start,
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
            phase = rng.randint(1, 4) if start == PLAN_START else 1
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
                    "joined_at": datetime.combine(start, datetime.min.time(), UTC),
                    "plan_start": start,
                    "phase": phase,
                    "phase_started_on": start,
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
    await _seed_points(url)
    return people


async def _seed_points(url: str) -> None:
    """Build the points ledger from the seeded events, as a live bot would have kept it."""
    engine = create_engine(url)
    content = load_library()
    async with session_factory(engine)() as session, session.begin():
        for cohort in list(await session.scalars(select(Cohort))):
            await recompute_points(session, cohort, content, NOW)
    await engine.dispose()
