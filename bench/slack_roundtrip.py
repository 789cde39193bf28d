"""How long does a member wait for ``/pivot status`` on Slack, beside a bare Bolt app?

Seeds 10,000 members of one Slack workspace (with half a year of weekly check-ins), starts
``pivotbot serve`` and a bare slack-bolt app that acknowledges and then posts a constant
reply with Bolt's ``respond``, both as their own processes on loopback against a local fake
of Slack's Web API (its own process too), then sends each the same signed, form-encoded
``/pivot status`` requests, one at a time, alternating between the two in rounds so both see
the same machine. A request's time runs from its POST until its reply arrives at the
response URL (the fake notes when, on the clock every process shares). Prints p50 and p99
for both and their ratio; and the acknowledgement's round trip of both and of a third bare
app that only acknowledges, as this benchmark measured before it waited for replies.
Target: pivotbot's p99 at most 1.5x the bare app's.

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
    "bare": "bare slack-bolt app (acks, then responds)",
    "ack_only": "bare slack-bolt app (acks a constant)",
    "ours": "pivotbot serve",
}
ANSWERING = ("bare", "ours")  # the apps whose reply arrives at the response URL
TARGET_RATIO = 1.5  # pivotbot's p99 over the bare app's


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

    async def command(self, port: int, member: int, key: str) -> tuple[float, float]:
        """One ``/pivot status``: when it was sent, and the seconds until its ack was read."""
        response_url = f"{self.fake_url}/respond/{key}"
        body = slash_command("status", response_url=response_url, user=user_id(member), team=TEAM)
        headers = signed_headers(body)
        url = f"http://127.0.0.1:{port}/slack/events"
        started = time.perf_counter()
        async with self.http.post(url, data=body, headers=headers) as response:
            await response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise SystemExit(f"port {port} answered {response.status}")
        return started, elapsed

    async def arrivals(self) -> dict[str, float]:
        """When each response URL's reply arrived at the fake (``time.perf_counter``)."""
        async with self.http.get(f"{self.fake_url}/_fake/arrivals") as response:
            found = await response.json()
        return {key: float(value["at"]) for key, value in found.items()}

    async def reply(self, key: str) -> None:
        async with self.http.get(f"{self.fake_url}/_fake/responses/{key}") as response:
            await response.read()


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


async def measure(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="pivotbot-bench-"))
    url = f"sqlite:///{work / 'bench.db'}"
    print(f"seeding {args.members:,} members with {WEEKS - 1} weekly check-ins each ...")
    await asyncio.to_thread(migrations.upgrade, url)
    await seed(url, args.members)
    fake_port = free_port()
    ports = {label: free_port() for label in LABELS}
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
    for label, port in ports.items():
        probe = f"http://127.0.0.1:{port}/slack/events"
        if label == "ours":
            command = [pivotbot, "serve"]
        else:
            command = [*this, "--bare" if label == "bare" else "--ack-only", str(port)]
        processes.append(await launch(command, {**env, "PORT": str(port)}, probe, work))
    rng = random.Random(11)
    acks: dict[str, list[float]] = {label: [] for label in LABELS}
    sent: dict[str, tuple[str, float]] = {}  # key -> label, when sent
    try:
        async with aiohttp.ClientSession() as http:
            driver = Driver(http, fake_url)
            for warmup in range(args.warmup):  # connection pools, caches, JITs
                for label, port in ports.items():
                    key = f"warm-{label}-{warmup}"
                    await driver.command(port, rng.randrange(args.members), key)
                    if label in ANSWERING:
                        await driver.reply(key)
            per_round = args.requests // args.rounds
            for round_number in range(args.rounds):
                for label, port in ports.items():
                    for n in range(per_round):
                        key = f"{label}-{round_number}-{n}"
                        started, ack = await driver.command(port, rng.randrange(args.members), key)
                        acks[label].append(ack)
                        if label in ANSWERING:
                            sent[key] = (label, started)
                            await driver.reply(key)
            arrived = await driver.arrivals()
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
    replies: dict[str, list[float]] = {label: [] for label in LABELS}
    for key, (label, started) in sent.items():
        replies[label].append(arrived[key] - started)
    report(args, acks, replies)


def report(
    args: argparse.Namespace, acks: dict[str, list[float]], replies: dict[str, list[float]]
) -> None:
    print(
        f"\n/pivot status, signed, over loopback HTTP, one at a time; {args.members:,} members on "
        f"SQLite; {len(acks['ours'])} requests per row in {args.rounds} alternating rounds\n"
    )
    print(f"{'until the reply arrived at the response URL':<46}{'p50':>9}{'p99':>9}")
    for label in ANSWERING:
        p50, p99 = percentile(replies[label], 50), percentile(replies[label], 99)
        print(f"{LABELS[label]:<46}{p50:>7.2f}ms{p99:>7.2f}ms")
    reply50 = percentile(replies["ours"], 50) / percentile(replies["bare"], 50)
    reply99 = percentile(replies["ours"], 99) / percentile(replies["bare"], 99)
    print(f"{'ratio, pivotbot to the bare app that responds':<46}{reply50:>8.2f}x{reply99:>8.2f}x")
    print(f"\n{'the acknowledgement alone (HTTP round trip)':<46}{'p50':>9}{'p99':>9}")
    for label, title in LABELS.items():
        p50, p99 = percentile(acks[label], 50), percentile(acks[label], 99)
        print(f"{title:<46}{p50:>7.2f}ms{p99:>7.2f}ms")
    ack50 = percentile(acks["ours"], 50) / percentile(acks["ack_only"], 50)
    ack99 = percentile(acks["ours"], 99) / percentile(acks["ack_only"], 99)
    print(f"{'ratio, pivotbot to the bare app that acks':<46}{ack50:>8.2f}x{ack99:>8.2f}x")
    for what, ratio in (("reply", reply99), ("acknowledgement", ack99)):
        met = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"target ({what} p99 <= {TARGET_RATIO:g}x the bare app's): {met} ({ratio:.2f}x)")


def serve_fake(port: int) -> None:
    async def main() -> None:
        fake = await FakeSlack().start(port)
        fake.team_of_token[TOKEN] = TEAM
        await asyncio.Event().wait()

    asyncio.run(main())


def serve_bare(port: int, answers: bool) -> None:
    """A slack-bolt app that acknowledges, then (if ``answers``) posts a constant reply to the
    response URL with Bolt's own ``respond``: the least a Bolt app can do, served the same way
    as ours."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    async def main() -> None:
        client = AsyncWebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"])
        bolt = AsyncApp(signing_secret=SIGNING_SECRET, client=client, process_before_response=True)

        @bolt.command("/pivot")
        async def ack_and_respond(ack, respond) -> None:
            if not answers:
                await ack("ok")
                return
            await ack()
            await respond("ok")

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
    parser.add_argument("--ack-only", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--fake", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare or args.ack_only:
        serve_bare(args.bare or args.ack_only, answers=bool(args.bare))
    elif args.fake:
        serve_fake(args.fake)
    else:
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
