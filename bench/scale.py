"""Does pivotbot hold 100,000 members? Plans one Monday's nudges for 100,000 members in 1,000
workspaces and delivers them through an outbox that answers at once, and measures peak memory;
then starts ``pivotbot serve`` with Slack, Discord and the scheduler and measures it idle.

Runs on PostgreSQL when one answers (``--db``, else a throwaway database on the server at
``PIVOTBOT_TEST_POSTGRES_URL`` or 127.0.0.1:5432), otherwise on SQLite, and says which. The
fan-out runs in a process of its own so its peak memory is its own. Every time is printed
beside the floor measured in the same run (one committed read-and-insert transaction).
Targets: peak RSS under 150 MB for the fan-out, under 120 MB for ``pivotbot serve`` idle.

    .venv/bin/python bench/scale.py [--members N] [--workspaces N] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
import asyncpg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

import migrations
from bench.fanout import BenchOutbox, peak_rss_mb, reset_peak_rss
from bench.floor import measure_floor
from bot.clock import ManualClock
from bot.content.loader import load_library
from bot.db.engine import create_engine, session_factory
from bot.db.models import Checkin, Cohort, Member, Tenant
from bot.domain.weeks import IsoWeek
from scheduler.jobs import DueJobs
from testkit.fake_discord import FakeDiscord
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import SIGNING_SECRET

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday morning
FANOUT_AT = NOW + timedelta(hours=11)  # past 09:00 in Berlin, New York and Tokyo, all in W49
PLAN_START = (NOW - timedelta(weeks=4)).date()  # a month in
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo")
CHUNK = 10_000
IDLE_SECONDS = 5.0
BARE_RSS = (
    "from pathlib import Path\n"
    "lines = Path('/proc/self/status').read_text().splitlines()\n"
    "print(next(line for line in lines if line.startswith('VmRSS')).split()[1])"
)  # serve runs its first plan at once; measure once that has settled


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _throwaway_postgres(server: str) -> str | None:
    try:
        connection = await asyncpg.connect(_asyncpg_dsn(server), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    name = f"pivotbot_bench_{secrets.token_hex(4)}"
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres(server: str, url: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(server))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await connection.close()


@contextlib.contextmanager
def database(given: str | None, workdir: Path) -> Iterator[tuple[str, str]]:
    """The database to measure on, and a line that says which it is."""
    if given:
        yield given, f"database: {make_url(given).get_backend_name()} (given)"
        return
    server = (
        os.environ.get("PIVOTBOT_TEST_POSTGRES_URL")
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    url = asyncio.run(_throwaway_postgres(server))
    if url is None:
        path = workdir / "scale.db"
        yield f"sqlite:///{path}", "database: SQLite (no PostgreSQL answered; figures are SQLite's)"
        return
    try:
        yield url, "database: PostgreSQL (a throwaway database, dropped afterwards)"
    finally:
        asyncio.run(_drop_postgres(server, url))


async def seed(url: str, members: int, workspaces: int) -> None:
    """``members`` spread over ``workspaces`` Slack workspaces, one cohort each, a month into
    their plans, nudged on Mondays at 09:00 local time. They checked in during the first three
    weeks and not yet for the last: the week a Monday nudge asks about, so that every member
    is due one and the fan-out is the whole membership, the Monday an operator must plan for."""
    engine = create_engine(url)
    rng = random.Random(13)
    weeks = [IsoWeek.of(PLAN_START + timedelta(weeks=n)) for n in range(3)]
    joined = datetime.combine(PLAN_START, dtime(0), UTC)
    async with engine.begin() as connection:
        tenant_ids = (
            (
                await connection.execute(
                    Tenant.__table__.insert().returning(Tenant.__table__.c.id),
                    [
                        {"platform": "console", "external_id": f"W{n:05d}", "created_at": joined}
                        for n in range(workspaces)
                    ],
                )
            )
            .scalars()
            .all()
        )
        cohort_ids = (
            (
                await connection.execute(
                    Cohort.__table__.insert().returning(Cohort.__table__.c.id),
                    [
                        {
                            "tenant_id": tenant_id,
                            "name": "spring",
                            "start_date": PLAN_START,
                            "timezone": "UTC",
                            "channel_id": None,
                            "channel_name": None,
                            "leaderboard_weekday": 4,
                            "leaderboard_time": dtime(16, 0),
                            "roadmap_key": "standard",
                            "created_at": NOW,
                        }
                        for tenant_id in tenant_ids
                    ],
                )
            )
            .scalars()
            .all()
        )
        rows = [
            {
                "tenant_id": tenant_ids[n % workspaces],
                "cohort_id": cohort_ids[n % workspaces],
                "user_id": f"U{n:07d}",
                "display_name": f"Member {n}",
                "track": "standard",
                "level": "mid",
                "timezone": rng.choice(ZONES),
                "nudge_weekday": 0,
                "nudge_time": dtime(9, 0),
                "joined_at": joined,
                "plan_start": PLAN_START,
                "phase": 1,
                "phase_started_on": PLAN_START,
                "leaderboard_visible": True,
                "dms_enabled": True,
                "left_at": None,
            }
            for n in range(members)
        ]
        for start in range(0, len(rows), CHUNK):
            await connection.execute(Member.__table__.insert(), rows[start : start + CHUNK])
        del rows
        ids = (
            (
                await connection.execute(
                    Member.__table__.select().with_only_columns(Member.__table__.c.id)
                )
            )
            .scalars()
            .all()
        )
        checkins = []
        for member_id in ids:
            for week in weeks:
                if rng.random() < 0.85:
                    moment = datetime.combine(week.monday(), dtime(12), UTC)
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
            if len(checkins) >= CHUNK:
                await connection.execute(Checkin.__table__.insert(), checkins)
                checkins.clear()
        if checkins:
            await connection.execute(Checkin.__table__.insert(), checkins)
    await engine.dispose()


async def fan_out(url: str) -> None:
    """Plan and deliver the Monday's nudges; prints one line of figures for the parent."""
    engine = create_engine(url)
    floor = await measure_floor(engine)
    outbox = BenchOutbox(0.0)
    jobs = DueJobs(
        session_factory(engine), ManualClock(FANOUT_AT), load_library(), {"console": outbox}
    )
    async with engine.connect() as connection:
        members = int(
            await connection.scalar(select(func.count()).select_from(Member.__table__)) or 0
        )
    reset_peak_rss()
    began = peak_rss_mb()
    started = time.perf_counter()
    planned = await jobs.plan()
    planned_at = time.perf_counter()
    delivered = await jobs.deliver()
    finished = time.perf_counter()
    await engine.dispose()
    plan_s, deliver_s = planned_at - started, finished - planned_at
    each_plan = plan_s * 1000 / max(members, 1)
    each_send = deliver_s * 1000 / max(delivered.sent, 1)
    print(floor.describe())
    print(
        f"plan: {members:,} members looked at, {planned.describe()} due, in {plan_s:.1f} s, "
        f"{each_plan:.2f} ms a member "
        f"({each_plan / floor.median_ms:.2f}x the floor's median)"
    )
    print(
        f"deliver: {delivered.sent:,} sent in {deliver_s:.1f} s, {each_send:.2f} ms a message "
        f"({each_send / floor.median_ms:.2f}x the floor's median), zero-latency outbox, no caps"
    )
    print(
        f"peak RSS during plan and delivery: {peak_rss_mb():.0f} MB "
        f"({began:.0f} MB as it began); target under 150 MB"
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def idle_serve(workdir: Path) -> None:
    """``pivotbot serve`` with Slack, Discord and the scheduler, against local fakes, idle."""
    slack, discord = await FakeSlack().start(), await FakeDiscord().start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_", "LOG_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'idle.db'}",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DISCORD_TOKEN=discord.token,
        DISCORD_API_URL=discord.api_url,
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    ready = f"http://127.0.0.1:{port}/readyz"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "serve", cwd=workdir, env=env
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(1200):
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(ready) as answer:
                        if answer.status == 200:
                            break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("pivotbot serve never became ready")
        await asyncio.sleep(IDLE_SECONDS)
        serving = rss_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()
        await slack.stop()
        await discord.stop()
    bare = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BARE_RSS, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await bare.communicate()
    floor = int(out) / 1024
    print(
        f"pivotbot serve idle (Slack, Discord, scheduler): RSS {serving:.0f} MB; a bare Python "
        f"interpreter {floor:.0f} MB ({serving / floor:.1f}x); target under 120 MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--workspaces", type=int, default=1_000)
    parser.add_argument(
        "--db", help="database URL (default: PostgreSQL if one answers, else SQLite)"
    )
    parser.add_argument("--fan-out-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fan_out_only:
        asyncio.run(fan_out(args.fan_out_only))
        return
    with tempfile.TemporaryDirectory() as workdir, database(args.db, Path(workdir)) as (url, which):
        print(which)
        migrations.upgrade(url)
        started = time.perf_counter()
        asyncio.run(seed(url, args.members, args.workspaces))
        print(
            f"seeded {args.members:,} members in {args.workspaces:,} workspaces in "
            f"{time.perf_counter() - started:.0f} s"
        )
        subprocess.run([sys.executable, __file__, "--fan-out-only", url], check=True)
        asyncio.run(idle_serve(Path(workdir)))


if __name__ == "__main__":
    main()
