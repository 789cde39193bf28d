"""Does random traffic break pivotbot? The suite's fuzz test (tests/test_fuzz.py), run long.

Typed text, typed options and button presses (some forged) from four people in two
workspaces, with the clock moving and the scheduler running now and then, all through the real
core: first on a fresh SQLite file, then on a throwaway PostgreSQL database when
``PIVOTBOT_TEST_POSTGRES_URL`` (or ``--postgres``) names a server that answers. Prints how
many commands ran and how many tracebacks and bug replies they caused (both must be 0), and
the median command time beside a floor: one committed read-and-insert transaction on the same
engine. Exits 1 when anything broke.

    .venv/bin/python bench/fuzz.py [--commands N] [--seed N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations
from bench.seeding import NOW
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.services.tenancy import ensure_tenant
from testkit.fuzz_run import FuzzRun, Tally, TracebackCounter
from testkit.fuzz_traffic import Generator, RandomSource


async def floor_ms(engine: AsyncEngine, samples: int = 200) -> float:
    """The median of one committed transaction that reads a row and inserts one."""
    sessions = session_factory(engine)
    clock = ManualClock(NOW)
    times = []
    for number in range(samples):
        began = time.perf_counter()
        async with sessions() as session, session.begin():
            await ensure_tenant(session, "console", f"floor-{number}", clock.now())
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


async def fuzz(url: str, commands: int, seed: int) -> Tally:
    engine = create_engine(url)
    clock = ManualClock(NOW)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    run = FuzzRun(PivotCore(session_factory(engine), clock, load_library(), settings), clock)
    counter = TracebackCounter(run.tally)
    logging.getLogger().addHandler(counter)
    source = RandomSource(seed)
    timings: list[float] = []
    try:
        await run.setup()
        generator = Generator.for_core(run.core)
        while run.tally.commands < commands:
            before = run.tally.commands
            began = time.perf_counter()
            await run.play(generator.action(source))
            if run.tally.commands > before:
                timings.append(time.perf_counter() - began)
        floor = await floor_ms(engine)
    finally:
        logging.getLogger().removeHandler(counter)
        await engine.dispose()
    median = statistics.median(timings) * 1000
    print(f"  {run.tally.describe()}")
    print(
        f"  median command {median:.1f} ms; floor (read + insert, committed) {floor:.1f} ms; "
        f"ratio {median / floor:.1f}x; simulated clock reached {clock.now():%Y-%m-%d}"
    )
    for example in run.tally.examples:
        print(f"  - {example}")
    return run.tally


def on_sqlite(commands: int, seed: int) -> Tally:
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{Path(workdir) / 'fuzz.db'}"
        migrations.upgrade(url)
        print("SQLite:")
        return asyncio.run(fuzz(url, commands, seed))


def on_postgres(server: str, commands: int, seed: int) -> Tally | None:
    dsn = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"pivotbot_fuzz_{secrets.token_hex(4)}"

    async def admin(statement: str) -> bool:
        try:
            connection = await asyncpg.connect(dsn, timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        try:
            await connection.execute(statement)
        finally:
            await connection.close()
        return True

    if not asyncio.run(admin(f'CREATE DATABASE "{name}"')):
        print(f"PostgreSQL: {make_url(server).host} does not answer; skipped")
        return None
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(url)
        print("PostgreSQL:")
        return asyncio.run(fuzz(url, commands, seed))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--postgres", default=os.environ.get("PIVOTBOT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    tallies = [on_sqlite(args.commands, args.seed)]
    if args.postgres:
        tallies.append(on_postgres(args.postgres, args.commands, args.seed))
    broken = sum(t.tracebacks + t.bug_replies for t in tallies if t is not None)
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
