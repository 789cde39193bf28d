"""How long a Discord interaction takes to get its initial response, in process.

The database holds 10,000 members of one guild (bulk-inserted, each with a month of
check-ins). Each sample hands an INTERACTION_CREATE payload to discord.py as the gateway
would, and stops the clock when the fake Discord on loopback receives the interaction
callback: parsing, routing, the core's transaction, rendering and the HTTP response.

    python bench/discord_roundtrip.py [--db URL] [--samples N]
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
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

import migrations
from adapters.discord_adapter.service import DiscordService
from adapters.platform_service import PlatformInputs
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Checkin, Cohort, Member, Tenant
from bot.domain.weeks import IsoWeek
from testkit.discord_payloads import Person, slash
from testkit.fake_discord import FakeDiscord

GUILD = 700000000000000001
CHANNEL = 710000000000000001
FIRST_USER = 810000000000000000
MEMBERS = 10_000
WEEKS = 4
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def seed(core: PivotCore) -> None:
    async with core.sessions() as session, session.begin():
        await session.execute(
            insert(Tenant), [{"platform": "discord", "external_id": str(GUILD), "created_at": NOW}]
        )
        tenant_id = await session.scalar(select(Tenant.id))
        await session.execute(
            insert(Cohort),
            [
                {
                    "tenant_id": tenant_id,
                    "name": "spring",
                    "start_date": date(2026, 9, 1),
                    "timezone": "UTC",
                    "channel_id": str(CHANNEL),
                    "channel_name": "pivot-spring",
                    "leaderboard_weekday": 4,
                    "leaderboard_time": clock_time(16, 0),
                    "roadmap_key": "standard",
                    "created_at": NOW,
                }
            ],
        )
        cohort_id = await session.scalar(select(Cohort.id))
        await session.execute(
            insert(Member),
            [
                {
                    "tenant_id": tenant_id,
                    "cohort_id": cohort_id,
                    "user_id": str(FIRST_USER + n),
                    "display_name": f"member{n}",
                    "track": "standard",
                    "level": "mid",
                    "timezone": "UTC",
                    "nudge_weekday": 0,
                    "nudge_time": clock_time(9, 0),
                    "joined_at": NOW - timedelta(days=60),
                    "plan_start": date(2026, 9, 1),
                    "phase": 1,
                    "phase_started_on": date(2026, 9, 1),
                    "leaderboard_visible": True,
                    "dms_enabled": True,
                }
                for n in range(MEMBERS)
            ],
        )
        ids = list(await session.scalars(select(Member.id)))
        weeks = [IsoWeek.of((NOW - timedelta(weeks=w + 1)).date()) for w in range(WEEKS)]
        await session.execute(
            insert(Checkin),
            [
                {
                    "member_id": member_id,
                    "iso_week": str(week),
                    "week_start": week.monday(),
                    "hours": 6.0,
                    "summary": "steady work",
                    "created_at": NOW,
                    "updated_at": NOW,
                    "amendments": 0,
                }
                for member_id in ids
                for week in weeks
            ],
        )


async def sample(service: DiscordService, fake: FakeDiscord, payload: dict) -> float:
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    started = time.perf_counter()
    service.client._connection.parse_interaction_create(payload)  # as the gateway does
    (call,) = await fake.wait_for(lambda: fake.find("POST", path))
    return (call.at - started) * 1000


def report(name: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    print(
        f"{name:<28} n={len(ordered):<5} median {statistics.median(ordered):6.2f} ms   "
        f"p99 {p99:6.2f} ms   max {ordered[-1]:6.2f} ms"
    )


async def main(url: str, samples: int) -> None:
    fake = FakeDiscord()
    await fake.start()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=url, discord_token=fake.token, discord_api_url=fake.api_url
    )
    engine = create_engine(url)
    lookups = create_engine(url, immediate=False)
    core = PivotCore(session_factory(engine), ManualClock(NOW), load_library(), settings)
    await seed(core)
    service = DiscordService(PlatformInputs(core, settings, lookups))
    await service.sending.start()  # interactions are handed in below, as the gateway would
    rng = random.Random(7)
    people = [Person(FIRST_USER + rng.randrange(MEMBERS), "member") for _ in range(samples)]
    where = {"in_guild": GUILD, "in_channel": CHANNEL}
    commands = {
        "/pivot status (read)": {"command": "status"},
        "/pivot checkin (write)": {"command": "checkin", "hours": "5h", "summary": "benchmarks"},
    }
    try:
        print(f"{MEMBERS} members, {MEMBERS * WEEKS} check-ins, {url.split(':')[0]}")
        for name, options in commands.items():
            for person in people[:50]:  # warm-up: connections, caches, first queries
                await sample(service, fake, slash(by=person, **where, **options))
            timings = [await sample(service, fake, slash(by=p, **where, **options)) for p in people]
            report(name, timings)
    finally:
        await service.stop()
        await lookups.dispose()
        await engine.dispose()
        await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        database = args.db or f"sqlite:///{scratch}/bench.db"
        migrations.upgrade(database)
        asyncio.run(main(database, args.samples))
