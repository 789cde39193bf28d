"""How long does Slack wait for pivotbot's acknowledgement of ``/pivot status``?

Seeds 10,000 members of one Slack workspace (with half a year of weekly check-ins each), starts
``pivotbot serve`` and a bare slack-bolt app that acknowledges with a constant, both as their
own processes on loopback against a local fake of Slack's Web API, then sends each the same
signed, form-encoded ``/pivot status`` requests, alternating between the two in rounds so both
see the same machine. Prints p50 and p99 of the HTTP round trip for both and their ratio, and
how long pivotbot's full reply took to arrive at the response URL. The fake Slack runs in its
own process too, so answering pivotbot's Web API calls never delays the measuring client.

Requests are sequential, one member after another. "quiet" waits until the previous request's
work (reply and Home-tab refresh) is done, as when members are seconds apart; "busy" sends the
next request as soon as the previous reply arrived, while its Home refresh still runs.
Target: p99 under 50 ms and at most twice the bare app's.

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
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import SIGNING_SECRET, signed_headers, slash_command

TEAM = "TBENCH"
TOKEN = "xoxb-bench"
CHUNK = 20_000
WEEKS = 26
LABELS = {
    "bare": "bare slack-bolt app (acks a constant)",
    "quiet": "pivotbot serve, previous request finished",
    "busy": "pivotbot serve, previous Home refresh running",
}


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


async def launch(command: list[str], env: dict[str, str], probe: str, cwd: Path):
    """Start a process and wait until ``probe`` answers at all."""
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stderr=asyncio.subprocess.DEVNULL
    )
    async with aiohttp.ClientSession() as http:
        for _attempt in range(600):
            try:
                async with http.post(probe, data=""):
                    return process
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise SystemExit(f"{command} did not start")


class Driver:
    """Sends signed slash commands and waits on the fake Slack (its own process) over HTTP."""

    def __init__(self, http: aiohttp.ClientSession, fake_url: str) -> None:
        self.http = http
        self.fake_url = fake_url

    async def command(self, port: int, member: int, key: str) -> float:
        """One ``/pivot status``; the seconds until the HTTP answer (the ack) was read."""
        response_url = f"{self.fake_url}/respond/{key}"
        body = slash_command("status", response_url=response_url, user=user_id(member), team=TEAM)
        headers = signed_headers(body)
        started = time.perf_counter()
        url = f"http://127.0.0.1:{port}/slack/events"
        async with self.http.post(url, data=body, headers=headers) as response:
            await response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise SystemExit(f"port {port} answered {response.status}")
        return elapsed

    async def reply(self, key: str) -> None:
        async with self.http.get(f"{self.fake_url}/_fake/responses/{key}") as response:
            await response.read()

    async def published(self, count: int) -> None:
        url = f"{self.fake_url}/_fake/calls/views.publish?count={count}"
        async with self.http.get(url) as response:
            await response.read()


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


async def measure(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="pivotbot-bench-"))
    url = f"sqlite:///{work / 'bench.db'}"
    print(f"seeding {args.members:,} members with {WEEKS - 1} weekly check-ins each ...")
    await asyncio.to_thread(migrations.upgrade, url)
    await seed(url, args.members)
    fake_port, ours_port, bare_port = free_port(), free_port(), free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=f"{fake_url}/api/",
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    this = [sys.executable, __file__]
    pivotbot = str(Path(sys.executable).with_name("pivotbot"))
    processes = [
        await launch([*this, "--fake", str(fake_port)], env, f"{fake_url}/respond/probe", work)
    ]
    ours_env = {**env, "PORT": str(ours_port)}
    ours_probe = f"http://127.0.0.1:{ours_port}/slack/events"
    processes.append(await launch([pivotbot, "serve"], ours_env, ours_probe, work))
    bare_probe = f"http://127.0.0.1:{bare_port}/slack/events"
    processes.append(await launch([*this, "--bare", str(bare_port)], env, bare_probe, work))
    rng = random.Random(11)
    acks: dict[str, list[float]] = {label: [] for label in LABELS}
    replies: list[float] = []
    published = 0
    try:
        async with aiohttp.ClientSession() as http:
            driver = Driver(http, fake_url)
            for warmup in range(args.warmup):  # users.info caches, connection pools, JITs
                await driver.command(bare_port, rng.randrange(args.members), f"wb{warmup}")
                await driver.command(ours_port, rng.randrange(args.members), f"w{warmup}")
                await driver.reply(f"w{warmup}")
                published += 1
                await driver.published(published)
            per_round = args.requests // args.rounds
            for round_number in range(args.rounds):
                for label in LABELS:
                    port = bare_port if label == "bare" else ours_port
                    for n in range(per_round):
                        key = f"{label}-{round_number}-{n}"
                        started = time.perf_counter()
                        ack = await driver.command(port, rng.randrange(args.members), key)
                        acks[label].append(ack)
                        if port == ours_port:
                            await driver.reply(key)
                            replies.append(time.perf_counter() - started)
                            published += 1
                        if label == "quiet":  # the Home refresh too, as when members are apart
                            await driver.published(published)
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
    report(args, acks, replies)


def report(args: argparse.Namespace, acks: dict[str, list[float]], replies: list[float]) -> None:
    p50 = {label: percentile(samples, 50) for label, samples in acks.items()}
    p99 = {label: percentile(samples, 99) for label, samples in acks.items()}
    print(
        f"\n/pivot status, signed, over loopback HTTP; {args.members:,} members on SQLite; "
        f"{len(acks['bare'])} requests per row in {args.rounds} alternating rounds\n"
    )
    print(f"{'HTTP round trip until the ack':<46}{'p50':>9}{'p99':>9}{'ratio p50':>11}{'p99':>7}")
    for label, title in LABELS.items():
        ratio = f"{p50[label] / p50['bare']:>10.2f}x{p99[label] / p99['bare']:>6.2f}x"
        line = f"{title:<46}{p50[label]:>7.2f}ms{p99[label]:>7.2f}ms"
        print(line + (ratio if label != "bare" else ""))
    reply50, reply99 = percentile(replies, 50), percentile(replies, 99)
    print(f"{'pivotbot: full reply at the response URL':<46}{reply50:>7.2f}ms{reply99:>7.2f}ms")
    met = p99["quiet"] < 50 and p99["quiet"] / p99["bare"] <= 2
    print(f"\ntarget (quiet ack p99 < 50 ms and <= 2x bare): {'met' if met else 'NOT met'}")


def serve_fake(port: int) -> None:
    async def main() -> None:
        fake = await FakeSlack().start(port)
        fake.team_of_token[TOKEN] = TEAM
        await asyncio.Event().wait()

    asyncio.run(main())


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
    parser.add_argument("--fake", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        serve_bare(args.bare)
    elif args.fake:
        serve_fake(args.fake)
    else:
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
