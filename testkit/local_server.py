"""A fake platform API on a loopback port: what the fake Slack and the fake Discord share.

It starts and stops an aiohttp server on 127.0.0.1, records every call, lets a test wait until
something has happened, and answers a route with a 429 or an error on demand, as bolt-python's
mock Web API server and opsdroid's external API fake do.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

from aiohttp import web

SAFETY_TIMEOUT = 20.0  # only so a broken test fails instead of hanging; never an assertion

CallT = TypeVar("CallT")
T = TypeVar("T")


@dataclass
class Failure:
    """A canned answer for the next ``times`` requests whose route matches ``route``."""

    route: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


class LocalServer(Generic[CallT]):
    """Subclasses name their routes, record their calls and say how a request's route reads
    (``chat.postMessage`` for Slack, ``POST /channels/1/messages`` for Discord)."""

    def __init__(self) -> None:
        self.calls: list[CallT] = []
        self.port = 0
        self._failures: list[Failure] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    async def start(self, port: int = 0) -> Self:
        app = web.Application()
        app.add_routes(self.routes())
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        await self.closing()
        if self._runner is not None:
            await self._runner.cleanup()

    async def closing(self) -> None:
        """Close what the fake keeps open besides its server (sockets), before it stops."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- recording and waiting ---

    async def record(self, call: CallT) -> None:
        self.calls.append(call)
        await self.changed()

    async def changed(self) -> None:
        """Wake every waiter: something they may be waiting for has happened."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], T], what: str = "the awaited call") -> T:
        """Wake on every change until ``predicate`` gives something truthy, and return it."""
        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(predicate), SAFETY_TIMEOUT)
            except TimeoutError:
                raise AssertionError(f"never got {what}; calls so far: {self.calls}") from None

    # --- failures on demand ---

    def fail_next(
        self,
        route: str,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests whose route fully matches the regex ``route``."""
        self._failures.append(Failure(re.compile(route), status, body, headers or {}, times))

    def failure_for(self, route: str) -> Failure | None:
        """The canned failure this request gets, if any; it counts as used."""
        for failure in self._failures:
            if failure.times > 0 and failure.route.fullmatch(route):
                failure.times -= 1
                return failure
        return None
