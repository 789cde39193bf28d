"""Work that runs after Slack has its acknowledgement, tracked so none of it is lost.

asyncio keeps only weak references to tasks, so a task nobody holds can vanish mid-flight;
slack-bolt's own lazy listeners start theirs that way. Holding them here also lets ``stop()``
let in-flight replies finish, and lets tests wait until the adapter is quiet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextvars import ContextVar
from typing import Any

log = logging.getLogger(__name__)

Work = Coroutine[Any, Any, None]
_held: ContextVar[list[tuple[Work, str]] | None] = ContextVar("held_work", default=None)


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Work, name: str) -> None:
        held = _held.get()
        if held is not None:
            held.append((work, name))
            return
        task = asyncio.create_task(self._guarded(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @contextlib.asynccontextmanager
    async def after_answer(self) -> AsyncIterator[None]:
        """Work spawned inside the block starts when it ends, once the answer has been sent.

        Started at once, a request's own follow-up work would compete with sending its
        acknowledgement for the event loop; held until then, the ack goes out first.
        """
        held: list[tuple[Work, str]] = []
        token = _held.set(held)
        try:
            yield
        finally:
            _held.reset(token)
            for work, name in held:
                self.spawn(work, name)

    async def settled(self, hurry: Callable[[], None] | None = None) -> None:
        """Return once nothing is in flight, including work started by work in flight;
        ``hurry`` is called before each wait, to start work that waits for its moment now."""
        while self._tasks:
            if hurry is not None:
                hurry()
            await asyncio.wait(list(self._tasks), return_when=asyncio.FIRST_COMPLETED)

    async def drain(self, grace_seconds: float) -> None:
        """Give in-flight work ``grace_seconds`` to finish, then cancel what is left."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(list(self._tasks), timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("cancelled %d unfinished Slack tasks at shutdown", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Slack task %s failed", name)
