"""How long does Slack wait for pivotbot's acknowledgement of ``/pivot status``?

Seeds 10,000 members of one Slack workspace (with half a year of weekly check-ins each), starts
``pivotbot serve`` and a bare slack-bolt app that acknowledges with a constant, both as their
own processes on loopback against a local fake of Slack's Web API, then sends each the same
signed, form-encoded ``/pivot status`` requests, alternating between the two in rounds so both
see the same machine. Prints p50 and p99 of the HTTP round trip for both and their ratio, and
how long pivotbot's full reply took to arrive at the response URL.

Requests are sequential, one member after another, each waiting for the previous reply, as
members do. Target: p99 under 50 ms and at most twice the bare app's.

    .venv/bin/python bench/slack_roundtrip.py [--members N] [--requests N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web

import migrations
from bot.db.engine import create_engine
from bot.db.models import Checkin, Cohort, Member, Tenant
from bot.domain.weeks import IsoWeek
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import SIGNING_SECRET, signed_headers, slash_command

TEAM = "TBENCH"
TOKEN = "xoxb-bench"
CHUNK = 20_000
WEEKS = 26


def user_id(n: int) -> str:
    return f"U{n:08d}"


async def seed(url: str, members: int) -> None:
    """Bulk-insert one tenant, one cohort, the members and their weekly check-ins."""
    now = datetime.now(UTC)
    plan_start = (now - timedelta(weeks=WEEKS)).date()
    engine = create_engine(url)
    async with engine.begin() as conn:
        tenant_id = (
            await conn.execute(
                Tenant.__table__.insert().returning(Tenant.__table__.c.id),
                {"platform": "slack", "external_id": TEAM, "created_at": now},
            )
        ).scalar_one()
        cohort_id = (
            await conn.execute(
                Cohort.__table__.insert().returning(Cohort.__table__.c.id),
                {
                    "tenant_id": tenant_id,
                    "name": "bench",
                    "start_date": plan_start,
                    "timezone": "UTC",
                    "channel_id": "CBENCH",
                    "channel_name": "pivot-bench",
                    "leaderboard_weekday": 4,
                    "leaderboard_time": dtime(16, 0),
                    "roadmap_key": "standard",
                    "created_at": now,
                },
            )
        ).scalar_one()
        rows = [
            {
                "tenant_id": tenant_id,
                "cohort_id": cohort_id,
                "user_id": user_id(n),
                "display_name": f"member {n}",
                "track": "standard",
                "level": "mid",
                "timezone": "UTC",
                "nudge_weekday": n % 7,
                "nudge_time": dtime(9, 0),
                "joined_at": now - timedelta(weeks=WEEKS),
                "plan_start": plan_start,
                "phase": 1,
                "phase_started_on": plan_start,
                "leaderboard_visible": True,
                "dms_enabled": True,
            }
            for n in range(members)
        ]
        for start in range(0, len(rows), CHUNK):
            await conn.execute(Member.__table__.insert(), rows[start : start + CHUNK])
        member_ids = await conn.execute(Member.__table__.select().with_only_columns(Member.id))
        ids = [row[0] for row in member_ids]
        weeks = [IsoWeek.of((now - timedelta(weeks=w)).date()) for w in range(1, WEEKS)]
        checkins = [
            {
                "member_id": member,
                "iso_week": str(week),
                "week_start": week.monday(),
                "hours": 6.0,
                "summary": "worked the plan",
                "blockers": None,
                "confidence": 4,
                "created_at": now,
                "updated_at": now,
                "amendments": 0,
                "request_id": None,
            }
            for member in ids
            for week in weeks
        ]
        for start in range(0, len(checkins), CHUNK):
            await conn.execute(Checkin.__table__.insert(), checkins[start : start + CHUNK])
    await engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def launch(command: list[str], env: dict[str, str], port: int, cwd: Path):
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stderr=asyncio.subprocess.DEVNULL
    )
    async with aiohttp.ClientSession() as http:
        for _attempt in range(600):
            try:
                async with http.post(f"http://127.0.0.1:{port}/slack/events", data="") as r:
                    if r.status in (401, 404):
                        return process
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise SystemExit(f"{command} did not start")


async def one_request(
    http: aiohttp.ClientSession, port: int, fake: FakeSlack, member: int, key: str
) -> float:
    body = slash_command(
        "status", response_url=fake.response_url(key), user=user_id(member), team=TEAM
    )
    headers = signed_headers(body)
    started = time.perf_counter()
    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as r:
        await r.read()
        elapsed = time.perf_counter() - started
        if r.status != 200:
            raise SystemExit(f"port {port} answered {r.status}")
    return elapsed


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


async def measure(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="pivotbot-bench-"))
    url = f"sqlite:///{work / 'bench.db'}"
    print(f"seeding {args.members:,} members with {WEEKS - 1} weekly check-ins each ...")
    await asyncio.to_thread(migrations.upgrade, url)
    await seed(url, args.members)
    fake = await FakeSlack().start()
    fake.team_of_token[TOKEN] = TEAM
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=fake.api_url,
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    ours_port, bare_port = free_port(), free_port()
    pivotbot = str(Path(sys.executable).with_name("pivotbot"))
    ours = await launch([pivotbot, "serve"], {**env, "PORT": str(ours_port)}, ours_port, work)
    bare_command = [sys.executable, __file__, "--bare", str(bare_port)]
    bare = await launch(bare_command, env, bare_port, work)
    rng = random.Random(11)
    acks: dict[str, list[float]] = {"bare": [], "ours": []}
    replies: list[float] = []
    try:
        async with aiohttp.ClientSession() as http:
            for warmup in range(args.warmup):  # users.info caches, connection pools, JITs
                await one_request(http, bare_port, fake, rng.randrange(args.members), f"wb{warmup}")
                await one_request(http, ours_port, fake, rng.randrange(args.members), f"w{warmup}")
                await fake.wait_for_responses(f"w{warmup}")
            per_round = args.requests // args.rounds
            for round_number in range(args.rounds):
                for label, port in (("bare", bare_port), ("ours", ours_port)):
                    for n in range(per_round):
                        key = f"{label}-{round_number}-{n}"
                        member = rng.randrange(args.members)
                        acks[label].append(await one_request(http, port, fake, member, key))
                        if label == "ours":
                            sent = time.perf_counter() - acks[label][-1]
                            await fake.wait_for_responses(key)
                            replies.append(fake.responses_to(key)[0].at - sent)
    finally:
        for process in (ours, bare):
            process.terminate()
            await process.wait()
        await fake.stop()
    report(args, acks, replies)


def report(args: argparse.Namespace, acks: dict[str, list[float]], replies: list[float]) -> None:
    bare50, bare99 = percentile(acks["bare"], 50), percentile(acks["bare"], 99)
    ours50, ours99 = percentile(acks["ours"], 50), percentile(acks["ours"], 99)
    print(
        f"\n/pivot status, signed, over loopback HTTP; {args.members:,} members on SQLite; "
        f"{len(acks['ours'])} requests each in {args.rounds} alternating rounds\n"
    )
    print(f"{'HTTP round trip (ack)':<34}{'p50':>10}{'p99':>10}")
    print(f"{'bare slack-bolt app':<34}{bare50:>8.2f}ms{bare99:>8.2f}ms")
    print(f"{'pivotbot serve':<34}{ours50:>8.2f}ms{ours99:>8.2f}ms")
    print(f"{'ratio pivotbot / bare':<34}{ours50 / bare50:>9.2f}x{ours99 / bare99:>9.2f}x")
    reply50, reply99 = percentile(replies, 50), percentile(replies, 99)
    print(f"{'pivotbot full reply (response_url)':<34}{reply50:>8.2f}ms{reply99:>8.2f}ms")
    verdict = "met" if ours99 < 50 and ours99 / bare99 <= 2 else "NOT met"
    print(f"\ntarget (ack p99 < 50 ms and <= 2x bare): {verdict}")


def serve_bare(port: int) -> None:
    """A slack-bolt app with nothing but an acknowledgement, served the same way as ours."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    async def main() -> None:
        client = AsyncWebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"])
        bolt = AsyncApp(signing_secret=SIGNING_SECRET, client=client, process_before_response=True)

        @bolt.command("/pivot")
        async def ack_only(ack) -> None:
            await ack("ok")

        async def events(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await bolt.async_dispatch(await to_bolt_request(request))
            )

        app = web.Application()
        app.add_routes([web.post("/slack/events", events)])
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1000, help="per app")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        serve_bare(args.bare)
    else:
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
