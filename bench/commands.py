"""How fast are the everyday commands on a big database?

Seeds 10,000 members across 50 cohorts with two years of weekly check-ins and milestones, then
dispatches ``status``, ``checkin`` and ``done`` in process through the real core (built as
``pivotbot serve`` builds it) and prints the median and p99 of each beside the floor measured
in the same run (see bench/floor.py), and each one's ratio to it. Target: ``checkin`` p99 at
most 3x the floor's p99.

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
from bench.floor import Floor, measure_floor
from bench.seeding import COHORTS, NOW, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.messages import Address, ChatUser, Invocation

TARGET_RATIO = 3.0  # checkin p99 over the floor's p99


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(url: str, people: list[tuple[str, int]], samples: int) -> None:
    engine = create_engine(url)
    readers = create_engine(url, immediate=False)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = PivotCore(
        session_factory(engine),
        ManualClock(NOW),
        load_library(),
        settings,
        readers=session_factory(readers),
    )
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
    floors: list[Floor] = []
    rounds = 5  # the floor is taken between rounds, so both see the same machine
    for round_number in range(rounds):
        floors.append(await measure_floor(engine, samples=100))
        for _ in range(samples // rounds + (round_number < samples % rounds)):
            user_id, phase = rng.choice(people)
            for name, text in commands(user_id, phase).items():
                started = time.perf_counter()
                reply = await core.answer(invocation(text, user_id))
                timings[name].append((time.perf_counter() - started) * 1000)
                if reply.is_error:
                    raise SystemExit(f"{name} failed during the benchmark: {reply.text}")
    await engine.dispose()
    await readers.dispose()
    report(timings, floors, samples)


def report(timings: dict[str, list[float]], floors: list[Floor], samples: int) -> None:
    floor = Floor(
        statistics.median(f.median_ms for f in floors), statistics.median(f.p99_ms for f in floors)
    )
    print(floor.describe() + f"  ({len(floors)} x 100 samples, between the rounds)")
    print(
        f"{'command':<10}{'median ms':>12}{'p99 ms':>10}{'median/floor':>15}{'p99/floor':>12}"
        f"   (n={samples} each)"
    )
    for name, values in timings.items():
        median, p99 = statistics.median(values), percentile(values, 0.99)
        print(
            f"{name:<10}{median:>12.2f}{p99:>10.2f}{median / floor.median_ms:>14.1f}x"
            f"{p99 / floor.p99_ms:>11.1f}x"
        )
    ratio = percentile(timings["checkin"], 0.99) / floor.p99_ms
    met = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"\ntarget (checkin p99 <= {TARGET_RATIO:g}x the floor's p99): {met} ({ratio:.1f}x)")


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
