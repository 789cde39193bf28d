"""How long does the Monday fan-out take? Plans and delivers weekly nudges for 10,000 members.

Two outboxes: one that answers at once (the pure overhead of planning, claiming and
recording), and one that sleeps 50 ms per send (what bounded concurrency buys). Rate caps are
off here, as if the platform allowed it. Each variant runs in its own process so its peak
memory is its own. Targets: under 10 s instant, under 60 s at 50 ms per send.

    .venv/bin/python bench/fanout.py [--members N] [--variant instant|slow]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

import migrations
from bench.seeding import NOW, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.db.engine import create_engine, session_factory
from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult, Sent
from scheduler.jobs import DueJobs

# Monday 20:00 UTC: past 09:00 local in Berlin, New York and (Tuesday) Tokyo, all in W49.
FANOUT_AT = NOW + timedelta(hours=11)


class BenchOutbox:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.sent = 0

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent += 1
        return Sent(str(self.sent))

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        return await self.send_dm(ChatUser("console", "bench", "channel", "channel"), reply)


def peak_rss_mb() -> float:
    """The process's peak resident memory since the last reset (Linux), else since start."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Start the peak over, so seeding's memory does not count as the fan-out's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


async def fan_out(url: str, delay: float) -> None:
    engine = create_engine(url)
    outbox = BenchOutbox(delay)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    jobs = DueJobs(
        session_factory(engine),
        ManualClock(FANOUT_AT),
        load_library(),
        {"console": outbox},
        concurrency=settings.delivery_concurrency,
    )
    reset_peak_rss()
    before = peak_rss_mb()
    started = time.perf_counter()
    planned = await jobs.plan()
    planned_at = time.perf_counter()
    delivered = await jobs.deliver()
    finished = time.perf_counter()
    await engine.dispose()
    print(
        f"{'instant' if not delay else f'{delay * 1000:.0f} ms'} outbox: planned "
        f"{planned.describe()} in {planned_at - started:.1f} s, delivered "
        f"{delivered.sent:,} in {finished - planned_at:.1f} s, total {finished - started:.1f} s "
        f"(concurrency {settings.delivery_concurrency}); peak RSS during the fan-out "
        f"{peak_rss_mb():.0f} MB ({before:.0f} MB as it began)"
    )


def run_variant(variant: str, members: int) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{Path(workdir) / 'fanout.db'}"
        migrations.upgrade(url)
        # Members eight weeks into their plan: the weekly nudge is all that is due, no gate yet.
        asyncio.run(seed(url, members, start=(NOW - timedelta(weeks=8)).date()))
        asyncio.run(fan_out(url, 0.0 if variant == "instant" else 0.05))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--variant", choices=("instant", "slow"))
    args = parser.parse_args()
    if args.variant:
        run_variant(args.variant, args.members)
        return
    for variant in ("instant", "slow"):
        subprocess.run(
            [sys.executable, __file__, "--variant", variant, "--members", str(args.members)],
            check=True,
        )


if __name__ == "__main__":
    main()
