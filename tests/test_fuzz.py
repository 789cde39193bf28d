"""Random traffic through the whole core never escapes as an exception, never gets the bug
reply and never writes a traceback to the log (``bench/fuzz.py`` runs the same for longer)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from testkit.fuzz_run import FuzzRun, TracebackCounter
from testkit.fuzz_traffic import Generator
from tests.conftest import START
from tests.support.databases import copy_sqlite, delete_all

T = TypeVar("T")

# Every code point, lone surrogates and controls included: what a broken client can send.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=120)


class HypothesisSource:
    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def pick(self, options: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(options))

    def number(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))

    def text(self) -> str:
        return self._data.draw(ANY_TEXT)


def test_random_traffic_gets_no_bug_reply_and_writes_no_traceback(
    database_url: str, sqlite_template: Path, tmp_path: Path, content: ContentLibrary
) -> None:
    loop = asyncio.new_event_loop()
    examples = iter(range(10_000))

    async def one_example(data: st.DataObject) -> FuzzRun:
        url = database_url
        if url.startswith("sqlite"):
            url = copy_sqlite(sqlite_template, tmp_path / f"fuzz-{next(examples)}.db")
        engine = create_engine(url)
        if engine.dialect.name == "postgresql":
            await delete_all(engine)
        clock = ManualClock(START)
        config = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        run = FuzzRun(PivotCore(session_factory(engine), clock, content, config), clock)
        counter = TracebackCounter(run.tally)
        logging.getLogger().addHandler(counter)
        try:
            await run.setup()
            generator = Generator.for_core(run.core)
            source = HypothesisSource(data)
            for _ in range(data.draw(st.integers(1, 30), label="actions")):
                await run.play(generator.action(source))
        finally:
            logging.getLogger().removeHandler(counter)
            await engine.dispose()
        return run

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        run = loop.run_until_complete(one_example(data))
        assert run.tally.commands > 0
        assert (run.tally.tracebacks, run.tally.bug_replies) == (0, 0), run.tally.examples

    try:
        check()
    finally:
        loop.close()
