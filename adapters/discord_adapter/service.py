"""Discord as a ``PlatformService`` for ``pivotbot serve``: the gateway for interactions, REST
for the ``Outbox`` and the ``Directory``, all on the one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from adapters.discord_adapter.buttons import ButtonIds
from adapters.discord_adapter.client import PivotClient
from adapters.discord_adapter.command_tree import build_root
from adapters.discord_adapter.directory import DiscordDirectory
from adapters.discord_adapter.inbound import DEFER_AFTER_SECONDS, DiscordInbound
from adapters.discord_adapter.rendering import Renderer
from adapters.discord_adapter.sending import DiscordSending
from adapters.platform_service import PlatformInputs, StartupError
from bot.messages import DISCORD

log = logging.getLogger(__name__)


class DiscordService:
    platform = DISCORD

    def __init__(
        self,
        inputs: PlatformInputs,
        *,
        defer_after: float = DEFER_AFTER_SECONDS,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        core, settings = inputs.core, inputs.settings
        buttons = ButtonIds(core.records)
        renderer = Renderer(buttons)
        self.inbound = DiscordInbound(core, buttons, renderer, defer_after)
        self.client = PivotClient(
            self.inbound,
            guild_ids=settings.guild_ids,
            api_url=settings.discord_api_url,
            guild_ready_timeout=guild_ready_timeout,
            shard_count=settings.discord_shard_count,
            shard_ids=settings.shard_ids,
        )
        self._gateway_wanted = settings.runs_gateway
        self.client.tree.add_command(build_root(core.registry.specs, self.inbound.on_command))
        self.sending = DiscordSending(settings, self.client, renderer)
        self.outbox = self.sending.outbox
        self.directory = DiscordDirectory(self.client)
        inputs.provide_directory(self.platform, self.directory)
        self._gateway: asyncio.Task[None] | None = None
        self._stopping = False

    def add_routes(self, app: web.Application) -> None:
        """Discord comes over the gateway socket; there are no HTTP routes."""
        del app

    async def start(self) -> None:
        """Log in, register ``/pivot``, connect this replica's shards, and return once Discord
        says each is READY; with ``DISCORD_SHARD_IDS=none``, only log in, to send over REST."""
        if not self._gateway_wanted:
            await self.sending.start()
            log.info("Discord: no gateway here (DISCORD_SHARD_IDS=none); sending over REST")
            return
        self.client.receiving = True
        await self.sending.start()
        self._gateway = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        await asyncio.wait({self._gateway, ready}, return_when=asyncio.FIRST_COMPLETED)
        if self._gateway.done():
            ready.cancel()
            reason = self._gateway.exception() or "the gateway closed"
            raise StartupError(f"cannot connect to the Discord gateway: {reason}")
        self._gateway.add_done_callback(self._gateway_ended)
        log.info(
            "Discord ready as %s in %d guild(s), shard %s of %s",
            self.client.user,
            len(self.client.guilds),
            ",".join(map(str, sorted(self.client.shards))),
            self.client.shard_count,
        )

    async def readiness(self) -> str | None:
        if not self._gateway_wanted:
            return None if self.client.user is not None else "not logged in"
        return self.client.shards_problem()

    async def stop(self) -> None:
        self._stopping = True
        await self.sending.stop()
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
