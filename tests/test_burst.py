"""A burst of check-ins from one process: on SQLite its writers queue in one lane, in order,
so nobody hears "busy" because of the bot's own traffic, and every check-in is kept once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import writer_lane
from bot.db.models import Checkin, HandledRequest
from testkit.driver import BotDriver

MEMBERS = 50
BUSY = "busy"


async def _until(condition: Callable[[], bool]) -> None:
    """Let other tasks run until ``condition`` holds (they need no time, only turns)."""
    for _turn in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def test_fifty_members_checking_in_at_once_are_all_kept_and_none_hears_busy(
    bot: BotDriver,
) -> None:
    names = [f"member{n:02d}" for n in range(MEMBERS)]
    for name in names:
        await bot.say("/pivot join spring", as_=name)
    replies = await asyncio.gather(
        *(bot.say(f"/pivot checkin 4h built part {n} | none", as_=n) for n in names)
    )
    assert [r.text for r in replies if r.is_error] == []
    assert not any(BUSY in r.text for r in replies)
    assert all("Checked in for" in r.text for r in replies)
    async with bot.core.sessions() as session:
        rows = list(await session.execute(select(Checkin.member_id, Checkin.amendments)))
    assert len(rows) == MEMBERS
    assert len({member for member, _ in rows}) == MEMBERS
    assert {amendments for _, amendments in rows} == {0}


async def test_the_same_request_delivered_fifty_times_at_once_is_stored_once(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join spring")
    inv = bot.invocation("/pivot checkin 5h wrote the tests | none", request_id="retried")
    replies = await asyncio.gather(*(bot.core.answer(inv) for _ in range(MEMBERS)))
    assert {r.text for r in replies} == {replies[0].text}
    assert "Checked in for" in replies[0].text
    async with bot.core.sessions() as session:
        amendments = await session.scalar(select(Checkin.amendments))
        handled = await session.scalar(
            select(func.count())
            .select_from(HandledRequest)
            .where(HandledRequest.request_id == "retried")
        )
    assert amendments == 0
    assert handled == 1


async def test_sqlite_writers_of_one_process_take_turns_in_one_lane(engine: AsyncEngine) -> None:
    lane = writer_lane(engine)
    if engine.dialect.name != "sqlite":
        assert lane is None
        pytest.skip("PostgreSQL's writers need no lane")
    assert lane is not None
    order: list[int] = []
    first_in = asyncio.Event()

    async def write(n: int) -> None:
        async with engine.begin() as connection:
            if n == 0:
                first_in.set()
                await _until(lambda: lane.waiting == 4)  # the others queue, none polling
            await connection.exec_driver_sql("SELECT 1")
            order.append(n)

    first = asyncio.create_task(write(0))
    await first_in.wait()
    others = []
    for n in range(1, 5):
        others.append(asyncio.create_task(write(n)))
        await _until(lambda n=n: lane.waiting == n)  # queued in the order they arrived
    await asyncio.gather(first, *others)
    assert order == [0, 1, 2, 3, 4]
