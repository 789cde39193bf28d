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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import migrations
from bench.seeding import COHORTS, NOW, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.messages import Address, ChatUser, Invocation


def percentile(samples: list[float], share: float) -> float:
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
        await core.answer(invocation("status", user_id))
    timings: dict[str, list[float]] = {"status": [], "checkin": [], "done": []}
    for _ in range(samples):
        user_id, phase = rng.choice(people)
        for name, text in commands(user_id, phase).items():
            started = time.perf_counter()
            reply = await core.answer(invocation(text, user_id))
            timings[name].append((time.perf_counter() - started) * 1000)
            if reply.is_error:
                raise SystemExit(f"{name} failed during the benchmark: {reply.text}")
    await engine.dispose()
    print(f"{'command':<10}{'median ms':>12}{'p99 ms':>10}   (n={samples} each)")
    for name, values in timings.items():
        print(f"{name:<10}{statistics.median(values):>12.2f}{percentile(values, 0.99):>10.2f}")


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
