"""What the composition root needs from each chat platform, and what it gives each one.

A tiny surface, like Hubot's adapters: every platform is built from the same
:class:`PlatformInputs`, as a :class:`PlatformService` (receive and send, for ``pivotbot
serve``) or as a :class:`PlatformSending` alone (send only, for ``pivotbot jobs run-due``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.core import PivotCore
from bot.ports import Directory, Outbox


class StartupError(Exception):
    """A problem a person must fix before the bot can start; printed as one line."""


@dataclass(frozen=True)
class PlatformInputs:
    """Everything a platform is built from.

    ``lookups`` is an engine whose SQLite transactions stay deferred: a lookup a platform makes
    before it acknowledges a request (a workspace's token) must never queue behind a writer,
    and WAL lets readers through.
    """

    core: PivotCore
    settings: Settings
    lookups: AsyncEngine

    def provide_directory(self, platform: str, directory: Directory) -> None:
        """Let commands from this platform ask it about its channels (``bot.ports.Directory``)."""
        self.core.directories[platform] = directory


class PlatformSending(Protocol):
    """One platform's ``Outbox``, usable without receiving anything."""

    @property
    def platform(self) -> str: ...

    @property
    def outbox(self) -> Outbox: ...

    async def start(self) -> None:
        """Make ``outbox`` usable: open clients, log in."""

    async def stop(self) -> None:
        """Close what ``start`` opened."""


class PlatformService(Protocol):
    """One platform's inbound side (routes or a socket), its ``Outbox`` and its ``Directory``."""

    @property
    def platform(self) -> str: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def directory(self) -> Directory: ...

    def add_routes(self, app: web.Application) -> None:
        """Mount HTTP routes (Slack's ``/slack/events``); a socket-based platform adds none."""

    async def start(self) -> None:
        """Connect; returns once the platform is ready to receive."""

    async def readiness(self) -> str | None:
        """None while this platform can take traffic here; otherwise why not, in a few words."""

    async def stop(self) -> None:
        """Disconnect, letting in-flight work finish."""
