"""The discord.py client: default intents, ``/pivot`` synced at start, persistent buttons
registered before the first event, and form submissions routed by ``custom_id``."""

from __future__ import annotations

import logging

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from adapters.discord_adapter.buttons import PivotButton
from adapters.discord_adapter.command_tree import PivotTree
from adapters.discord_adapter.inbound import DiscordInbound
from adapters.discord_adapter.rendering import NO_MENTIONS

log = logging.getLogger(__name__)

MAX_RATE_LIMIT_WAIT = 30.0  # longer waits come back as RetryAfter instead of blocking a send


def use_api_base(api_url: str | None) -> None:
    """Point every REST call (interaction responses included) at ``DISCORD_API_URL``."""
    if api_url:
        discord.http.Route.BASE = api_url.rstrip("/")


class SendingClient(discord.Client):
    """A client that only sends over REST (``pivotbot jobs run-due``): no gateway, no commands.

    Slash commands, buttons and modals need no privileged intent, so none is ever asked for.
    """

    def __init__(self, *, guild_ready_timeout: float = 2.0) -> None:
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=NO_MENTIONS,
            max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT,
            guild_ready_timeout=guild_ready_timeout,
        )


class PivotClient(SendingClient):
    """The client that also receives: ``/pivot`` synced at start, persistent buttons, forms."""

    def __init__(
        self,
        inbound: DiscordInbound,
        *,
        guild_ids: tuple[int, ...] = (),
        api_url: str | None = None,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        super().__init__(guild_ready_timeout=guild_ready_timeout)
        self.inbound = inbound
        self.tree = PivotTree(self)
        self.guild_ids = guild_ids
        self.api_url = api_url
        self.receiving = False  # False for a process that only sends (no sync, no gateway)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(PivotButton)
        if not self.receiving:
            return
        if self.api_url:
            await self._use_gateway_from_api()
        await self._sync_commands()

    async def _use_gateway_from_api(self) -> None:
        """A plain ``Client`` never asks for the gateway and dials its built-in default, which
        would bypass ``DISCORD_API_URL``; ask the API, as the auto-sharded client does."""
        _shards, url, _limits = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        log.info("Discord gateway from %s: %s", discord.http.Route.BASE, url)

    async def _sync_commands(self) -> None:
        """Per guild (instant) for ``DISCORD_GUILD_IDS``, else globally (up to an hour)."""
        targets: list[discord.abc.Snowflake | None] = [discord.Object(g) for g in self.guild_ids]
        for guild in targets or [None]:
            where = f"guild {guild.id}" if guild else "globally"
            try:
                if guild is not None:
                    self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            except discord.Forbidden as exc:
                log.error(
                    "cannot register /pivot %s: invite pivotbot with the applications.commands "
                    "scope (see README, Set up in Discord): %s",
                    where,
                    exc,
                )
            except (app_commands.CommandSyncFailure, discord.HTTPException) as exc:
                log.error("cannot register /pivot %s: %s", where, exc)
            else:
                log.info("registered /pivot %s (%d top-level command)", where, len(synced))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Forms come here; buttons go to ``PivotButton``, except ones it cannot read."""
        if interaction.type is discord.InteractionType.modal_submit:
            await self.inbound.on_form(interaction)
        elif interaction.type is discord.InteractionType.component:
            await self.inbound.on_unreadable_button(interaction)
