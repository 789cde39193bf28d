"""The burst after a cohort's nudge: many members checking in at once, over Slack.

Seeds 200 members of one Slack workspace (each with half a year of weekly check-ins), starts
``pivotbot serve`` and a fake of Slack's Web API as their own processes on loopback, then
sends 200 signed ``/pivot checkin`` requests, one per member, with 50 in flight at once,
all sent within 10 seconds. A request is in flight from its POST until its reply arrives
at its response URL; that time is its latency. Prints p50, p99 and max, how many replies
said "busy", and the floor (bench/floor.py: one committed read-and-insert through the same
kind of engine on the same database) measured in the same run, before and after the burst.
Runs on SQLite, then on PostgreSQL when one answers (a throwaway database, dropped after).

Targets on a 2-core machine: p99 under 1 s, no reply over 3 s, no "busy" reply.

    .venv/bin/python bench/burst.py [--members N] [--in-flight N] [--postgres URL | --sqlite-only]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

import migrations
from bench.floor import Floor, measure_floor, percentile
from bench.scale import _drop_postgres, _throwaway_postgres
from bench.slack_roundtrip import TEAM, TOKEN, free_port, launch, seed, user_id
from bot.db.engine import create_engine
from testkit.slack_requests import SIGNING_SECRET, signed_headers, slash_command

WINDOW_SECONDS = 10.0
P99_TARGET_MS = 1000.0
MAX_TARGET_MS = 3000.0
BUSY_WORDS = "busy"
REFRESH_SETTLE_SECONDS = 5.0
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Outcome:
    latencies_ms: list[float]
    busy: int
    errors: list[str]
    sent_seconds: float
    floors: tuple[Floor, Floor]  # before and after the burst
    serve_cpu_seconds: float  # what serving the burst cost pivotbot serve, Home refreshes too


async def burst(args: argparse.Namespace, url: str, work: Path) -> Outcome:
    await asyncio.to_thread(migrations.upgrade, url)
    await seed(url, args.members)
    engine = create_engine(url)
    before = await measure_floor(engine)
    fake_port, serve_port = free_port(), free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=f"{fake_url}/api/",
        HOST="127.0.0.1",
        PORT=str(serve_port),
        LOG_LEVEL="WARNING",
    )
    roundtrip = str(Path(__file__).with_name("slack_roundtrip.py"))
    fake = [sys.executable, roundtrip, "--fake", str(fake_port)]
    processes = [await launch(fake, env, f"{fake_url}/respond/probe", work)]
    pivotbot = str(Path(sys.executable).with_name("pivotbot"))
    events = f"http://127.0.0.1:{serve_port}/slack/events"
    processes.append(await launch([pivotbot, "serve"], env, events, work))
    try:
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=args.in_flight * 2)
        ) as http:
            await _warm_up(http, events, fake_url)
            cpu_before = _cpu_seconds(processes[1].pid)
            outcome = await _send_all(args, http, events, fake_url)
            await asyncio.sleep(REFRESH_SETTLE_SECONDS)  # the Home refreshes after it, too
            cpu = _cpu_seconds(processes[1].pid) - cpu_before
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
    after = await measure_floor(engine)
    await engine.dispose()
    return Outcome(*outcome, floors=(before, after), serve_cpu_seconds=cpu)


def _cpu_seconds(pid: int) -> float:
    """CPU time (user and system) the process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _warm_up(http: aiohttp.ClientSession, events: str, fake_url: str) -> None:
    """A few requests first, so user lookups, pools and first plans are behind us."""
    for n in range(5):
        key = f"warm-{n}"
        body = slash_command(
            "status", response_url=f"{fake_url}/respond/{key}", user=user_id(n), team=TEAM
        )
        async with http.post(events, data=body, headers=signed_headers(body)) as response:
            await response.read()
        async with http.get(f"{fake_url}/_fake/responses/{key}") as reply:
            await reply.read()


async def _send_all(
    args: argparse.Namespace, http: aiohttp.ClientSession, events: str, fake_url: str
) -> tuple[list[float], int, list[str], float]:
    slots = asyncio.Semaphore(args.in_flight)
    sent: dict[str, float] = {}

    async def one(n: int) -> None:
        key = f"burst-{n}"
        text = f"checkin 5h burst week, part {n} | none | 4"
        response_url = f"{fake_url}/respond/{key}"
        body = slash_command(text, response_url=response_url, user=user_id(n), team=TEAM)
        async with slots:
            headers = signed_headers(body)
            sent[key] = time.perf_counter()
            async with http.post(events, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"pivotbot answered {response.status}")
            async with http.get(f"{fake_url}/_fake/responses/{key}") as reply:
                await reply.read()

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(args.members)))
    sent_seconds = max(sent.values()) - started
    async with http.get(f"{fake_url}/_fake/arrivals") as answer:
        arrivals: dict[str, Any] = await answer.json()
    latencies, busy, errors = [], 0, []
    for key, at in sent.items():
        arrived = arrivals[key]
        latencies.append((arrived["at"] - at) * 1000)
        text = str(arrived["body"].get("text", ""))
        if BUSY_WORDS in text.lower():
            busy += 1
        elif "Checked in for" not in text:
            errors.append(text[:120])
    return latencies, busy, errors, sent_seconds


def report(args: argparse.Namespace, label: str, outcome: Outcome) -> bool:
    latencies = outcome.latencies_ms
    p50, p99, worst = statistics.median(latencies), percentile(latencies, 0.99), max(latencies)
    before, after = outcome.floors
    floor = Floor(
        statistics.median([before.median_ms, after.median_ms]), max(before.p99_ms, after.p99_ms)
    )
    print(f"\n{label}: {len(latencies)} x /pivot checkin, signed, {args.in_flight} in flight")
    print(
        f"  all sent within {outcome.sent_seconds:.2f} s "
        f"({'inside' if outcome.sent_seconds <= WINDOW_SECONDS else 'OUTSIDE'} the "
        f"{WINDOW_SECONDS:g} s window)"
    )
    print(f"  reply at the response URL: p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {worst:.0f} ms")
    print(f"  busy replies: {outcome.busy}; other replies that were not a check-in: ", end="")
    print(len(outcome.errors), *outcome.errors[:3], sep="\n    " if outcome.errors else "")
    print(
        f"  pivotbot serve used {outcome.serve_cpu_seconds:.2f} s of CPU for the burst and its "
        f"Home refreshes ({outcome.serve_cpu_seconds / len(latencies) * 1000:.1f} ms a check-in)"
    )
    print(f"  floor before: {before.describe()}")
    print(f"  floor after:  {after.describe()}")
    print(
        f"  ratio to the floor: p50 {p50 / floor.median_ms:.0f}x its median, "
        f"p99 {p99 / floor.p99_ms:.0f}x its p99"
    )
    met = {
        f"p99 < {P99_TARGET_MS:g} ms": p99 < P99_TARGET_MS,
        f"max <= {MAX_TARGET_MS:g} ms": worst <= MAX_TARGET_MS,
        "no busy reply": outcome.busy == 0,
        "every reply a check-in": not outcome.errors,
        f"sent within {WINDOW_SECONDS:g} s": outcome.sent_seconds <= WINDOW_SECONDS,
    }
    print("  targets: " + "; ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in met.items()))
    return all(met.values())


async def _postgres(args: argparse.Namespace) -> tuple[str, str] | None:
    """A throwaway PostgreSQL database and the server it lives on; None when none answers."""
    if args.sqlite_only:
        return None
    server = args.postgres or os.environ.get("PIVOTBOT_TEST_POSTGRES_URL") or DEFAULT_SERVER
    url = await _throwaway_postgres(server)
    return None if url is None else (server, url)


async def main_async(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="pivotbot-burst-"))
    print(f"seeding {args.members} members of one Slack workspace, half a year of history each")
    results = [report(args, "SQLite", await burst(args, f"sqlite:///{work / 'burst.db'}", work))]
    found = await _postgres(args)
    if found is None:
        print("\nPostgreSQL: none answered (or --sqlite-only); skipped")
    else:
        server, url = found
        try:
            results.append(report(args, "PostgreSQL", await burst(args, url, work)))
        finally:
            await _drop_postgres(server, url)
    return 0 if all(results) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--postgres", metavar="URL", help="a server to make a database on")
    parser.add_argument("--sqlite-only", action="store_true")
    sys.exit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
