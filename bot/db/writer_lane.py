"""The writer lane: one process's SQLite write transactions, one at a time, in arrival order.

SQLite lets one connection write at a time. Left to itself, every other connection that wants
to write polls the file lock with growing sleeps (the busy timeout), so under a burst the
order is luck, a late sleeper can wait far longer than the queue ahead of it, and past the
timeout a member hears "busy" because of their own bot's traffic. The lane makes the writers
of one process queue on a fair asyncio lock before ``BEGIN IMMEDIATE`` instead, and the file
lock is then only ever contended by another process.

The engine takes the lane for each of its connections at the first ``BEGIN`` and gives it back
when the connection returns to its pool (see ``bot.db.engine``), so every user of the engine
(commands, the scheduler, the adapters' records) is in the lane without knowing it.
PostgreSQL needs no lane: its row locks let writers of different members run side by side.
"""

from __future__ import annotations

import asyncio


class LaneWaitedTooLong(Exception):  # noqa: N818 - named for what happened, like TimeoutError
    """A write waited longer than the lane allows: the process is stuck or badly overloaded,
    which the member hears as "busy" (see ``bot.database_faults``)."""


class LaneReenteredError(RuntimeError):
    """A task that holds the lane asked for it again, which would wait for itself forever."""


class WriterLane:
    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds
        self._lock = asyncio.Lock()  # FIFO: a newcomer never overtakes a waiter
        self._owner: asyncio.Task[object] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.waiting = 0  # how many writers queue right now, for tests and benchmarks

    async def enter(self) -> None:
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            raise LaneReenteredError(
                "this task already holds the SQLite writer lane: a second connection of the "
                "same engine inside a transaction would wait for itself"
            )
        self.waiting += 1
        try:
            async with asyncio.timeout(self._timeout):
                await self._lock.acquire()
        except TimeoutError:
            raise LaneWaitedTooLong(
                f"waited over {self._timeout:g} s for the SQLite writer lane"
            ) from None
        finally:
            self.waiting -= 1
        self._owner = task
        self._loop = asyncio.get_running_loop()

    def leave(self) -> None:
        """Give the lane to the next writer; safe to call from a thread other than the loop's
        (a connection the garbage collector returns to its pool)."""
        loop = self._loop
        self._owner = None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop:
            self._lock.release()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._lock.release)
