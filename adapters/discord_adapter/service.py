"""Discord as a ``PlatformService`` for ``pivotbot serve``: the gateway for interactions, REST
for the ``Outbox`` and the ``Directory``, all on the one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import aiohttp
import discord
from aiohttp import web

from adapters.composition import Runtime, StartupError
from adapters.discord_adapter.buttons import PLATFORM, ButtonIds
from adapters.discord_adapter.client import PivotClient, use_api_base
from adapters.discord_adapter.command_tree import build_root
from adapters.discord_adapter.directory import DiscordDirectory
from adapters.discord_adapter.inbound import DEFER_AFTER_SECONDS, DiscordInbound
from adapters.discord_adapter.outbox import DiscordOutbox
from adapters.discord_adapter.rendering import Renderer
from bot.config import Settings
from bot.core import PivotCore

log = logging.getLogger(__name__)


class DiscordService:
    platform = PLATFORM

    def __init__(
        self,
        core: PivotCore,
        settings: Settings,
        *,
        defer_after: float = DEFER_AFTER_SECONDS,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        if not settings.discord_token:
            raise StartupError("DISCORD_TOKEN is not set")
        self.settings = settings
        buttons = ButtonIds(core.sessions, core.clock)
        renderer = Renderer(buttons)
        self.inbound = DiscordInbound(core, buttons, renderer, defer_after)
        self.client = PivotClient(
            self.inbound,
            guild_ids=settings.guild_ids,
            api_url=settings.discord_api_url,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.client.tree.add_command(build_root(core.registry.specs, self.inbound.on_command))
        self.outbox = DiscordOutbox(self.client, renderer)
        self.directory = DiscordDirectory(self.client)
        self._gateway: asyncio.Task[None] | None = None
        self._stopping = False

    def add_routes(self, app: web.Application) -> None:
        """Discord comes over the gateway socket; there are no HTTP routes."""
        del app

    async def start(self) -> None:
        """Log in, register ``/pivot``, connect, and return once Discord says READY."""
        self.client.receiving = True
        await self._login()
        self._gateway = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        await asyncio.wait({self._gateway, ready}, return_when=asyncio.FIRST_COMPLETED)
        if self._gateway.done():
            ready.cancel()
            reason = self._gateway.exception() or "the gateway closed"
            raise StartupError(f"cannot connect to the Discord gateway: {reason}")
        self._gateway.add_done_callback(self._gateway_ended)
        log.info("Discord ready as %s in %d guild(s)", self.client.user, len(self.client.guilds))

    async def start_outbound(self) -> None:
        """REST only, for a process that sends but does not receive (``jobs run-due``)."""
        await self._login()

    async def _login(self) -> None:
        use_api_base(self.settings.discord_api_url)
        try:
            await self.client.login(self.settings.discord_token or "")
        except discord.LoginFailure as exc:
            raise StartupError(f"Discord rejected DISCORD_TOKEN: {exc}") from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise StartupError(f"cannot reach Discord at {discord.http.Route.BASE}: {exc}") from exc

    async def stop(self) -> None:
        self._stopping = True
        await self.client.close()
        if self._gateway is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._gateway

    def _gateway_ended(self, task: asyncio.Task[None]) -> None:
        """discord.py reconnects by itself; it gives up only on what a person must fix (a
        revoked token, a disallowed intent). Serving on without Discord would hide that, so
        the process stops and its supervisor (or its operator) sees why."""
        if self._stopping or task.cancelled():
            return
        log.critical("the Discord connection ended for good: %s", task.exception() or "closed")
        signal.raise_signal(signal.SIGTERM)


def build_discord_service(runtime: Runtime) -> DiscordService:
    return DiscordService(runtime.core, runtime.settings)
