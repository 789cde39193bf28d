"""What ``pivotbot serve`` needs from each chat platform: a tiny surface, like Hubot's adapters."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from bot.ports import Directory, Outbox


class PlatformService(Protocol):
    """One platform's inbound side (routes or a socket) and its outbound ``Outbox``."""

    platform: str
    outbox: Outbox
    directory: Directory | None

    def add_routes(self, app: web.Application) -> None:
        """Mount HTTP routes (Slack's ``/slack/events``); a socket-based platform adds none."""

    async def start(self) -> None:
        """Connect; returns once the platform is ready to receive."""

    async def start_outbound(self) -> None:
        """Make ``outbox`` usable without receiving anything (``pivotbot jobs run-due``)."""

    async def stop(self) -> None:
        """Disconnect, letting in-flight work finish."""
