"""How long does opening a web page's link take, and how much of it is the link's own checks?

Seeds members with two years of check-ins, asks for their roadmap links and a cohort's
dashboard link through the real commands, then measures, beside the floor (bench/floor.py):
checking a signature alone, ``core.open_page`` (signature, expiry, the link's row and the
re-checks, then the page's data, in one read transaction), and a GET of the page over loopback
HTTP through the real routes (rendering and headers included).

    .venv/bin/python bench/web_links.py [--db URL] [--members N] [--samples N]

``--db`` is migrated and seeded, so give it a database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

import migrations
from adapters.web_pages.routes import web_page_routes
from bench.floor import measure_floor, percentile
from bench.seeding import NOW, seed
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.messages import Address, ChatUser, Invocation, Link
from bot.services.web_links import signing_key, verify


def _invocation(text: str, user_id: str, admin: bool = False) -> Invocation:
    user = ChatUser("console", "bench", user_id, user_id, is_platform_admin=admin)
    return Invocation(None, {}, text, user, Address("console", "bench", user_id=user_id))


async def _token(core: PivotCore, text: str, user_id: str, admin: bool = False) -> str:
    reply = await core.answer(_invocation(text, user_id, admin))
    links = [b for b in reply.blocks if isinstance(b, Link)]
    if not links or links[0].page_token is None:
        raise SystemExit(f"{text!r} gave no link: {reply.text}")
    return links[0].page_token


async def _timed(samples: int, run: Callable[[], Awaitable[object]]) -> list[float]:
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        await run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def measure(url: str, people: list[tuple[str, int]], samples: int) -> None:
    engine = create_engine(url)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = PivotCore(session_factory(engine), ManualClock(NOW), load_library(), settings)
    rng = random.Random(5)
    chosen = rng.sample(people, min(len(people), 200))
    roadmaps = [await _token(core, "roadmap", user_id) for user_id, _ in chosen]
    dashboard = await _token(core, "cohort dashboard cohort-00", "organiser", admin=True)
    async with core.sessions() as session:
        key = await signing_key(session, settings, NOW)
    app = web.Application()
    app.add_routes(web_page_routes(core))
    floor = await measure_floor(engine)
    results: dict[str, list[float]] = {}
    results["signature only"] = await _timed(samples, _async(lambda: verify(key, roadmaps[0])))
    results["open_page roadmap"] = await _timed(
        samples, lambda: core.open_page(rng.choice(roadmaps))
    )
    results["open_page dashboard"] = await _timed(samples, lambda: core.open_page(dashboard))
    async with TestClient(TestServer(app)) as client:

        async def get(token: str) -> None:
            async with client.get(f"/p/{token}") as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"GET answered {response.status}")

        results["GET roadmap"] = await _timed(samples, lambda: get(rng.choice(roadmaps)))
        results["GET dashboard"] = await _timed(samples, lambda: get(dashboard))
    await engine.dispose()
    print(floor.describe())
    print(f"{'measured':<22}{'median ms':>10}{'p99 ms':>9}{'median/floor':>14}   (n={samples})")
    for name, values in results.items():
        median = statistics.median(values)
        print(
            f"{name:<22}{median:>10.3f}{percentile(values, 0.99):>9.3f}"
            f"{median / floor.median_ms:>14.2f}"
        )


def _async(run: Callable[[], object]) -> Callable[[], Awaitable[object]]:
    async def wrapped() -> object:
        return run()

    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url = args.db or f"sqlite:///{Path(workdir) / 'bench.db'}"
        migrations.upgrade(url)
        people = asyncio.run(seed(url, args.members))
        print(f"seeded {len(people):,} members with two years of weekly check-ins")
        asyncio.run(measure(url, people, args.samples))


if __name__ == "__main__":
    main()
