"""A check-in and a milestone read what they need once: at most eight statements each, so a
burst of them spends little time in the database (and in SQLite's writer lane)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from testkit.driver import BotDriver

BUDGET = 8


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every statement the engine sends while the block runs, BEGIN included."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]).split()[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _member_with_history(bot: BotDriver) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot checkin 4h read the service code | none | 3")
    await bot.say("/pivot done git-workflow https://github.com/ada/pr/1")
    bot.advance(weeks=1)


async def test_a_checkin_takes_at_most_eight_statements(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await _member_with_history(bot)
    with statements(engine) as seen:
        reply = await bot.say("/pivot checkin 6h shipped the flask service | none | 4")
    assert "Checked in for" in reply.text
    assert len(seen) <= BUDGET, seen


async def test_amending_a_checkin_takes_at_most_eight_statements(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await _member_with_history(bot)
    await bot.say("/pivot checkin 6h shipped the flask service | none | 4")
    with statements(engine) as seen:
        reply = await bot.say("/pivot checkin 7h shipped it and wrote the docs | none")
    assert "this amends it" in reply.text
    assert len(seen) <= BUDGET, seen


async def test_a_checkin_that_ends_a_pause_takes_at_most_eight_statements(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await _member_with_history(bot)
    await bot.say("/pivot pause 2")
    with statements(engine) as seen:
        reply = await bot.say("/pivot checkin 2h read a little | none")
    assert "ended your pause" in reply.text
    assert len(seen) <= BUDGET, seen


async def test_marking_a_milestone_takes_at_most_eight_statements(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await _member_with_history(bot)
    with statements(engine) as seen:
        reply = await bot.say("/pivot done write-tests https://github.com/ada/pr/2")
    assert not reply.is_error, reply.text
    assert "— done." in reply.text
    assert len(seen) <= BUDGET, seen
