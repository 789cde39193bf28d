"""The discord.py client: default intents, ``/pivot`` synced at start, persistent buttons
registered before the first event, and form submissions routed by ``custom_id``.

The receiving client is discord.py's auto-sharded one: Discord allows one gateway session per
shard, so each replica runs the shards ``DISCORD_SHARD_IDS`` names (all of them when unset),
and a replica with ``DISCORD_SHARD_IDS=none`` opens no gateway and only sends over REST.
"""

from __future__ import annotations

import logging
from typing import Any

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


def _options(guild_ready_timeout: float) -> dict[str, Any]:
    """Slash commands, buttons and modals need no privileged intent, so none is asked for."""
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here
    return {
        "intents": discord.Intents.default(),
        "allowed_mentions": NO_MENTIONS,
        "max_ratelimit_timeout": MAX_RATE_LIMIT_WAIT,
        "guild_ready_timeout": guild_ready_timeout,
    }


class SendingClient(discord.Client):
    """A client that only sends over REST (``pivotbot jobs run-due``): no gateway, no commands."""

    def __init__(self, *, guild_ready_timeout: float = 2.0) -> None:
        super().__init__(**_options(guild_ready_timeout))


class PivotClient(discord.AutoShardedClient):
    """The client that also receives: ``/pivot`` synced at start, persistent buttons, forms."""

    def __init__(
        self,
        inbound: DiscordInbound,
        *,
        guild_ids: tuple[int, ...] = (),
        api_url: str | None = None,
        guild_ready_timeout: float = 2.0,
        shard_count: int | None = None,
        shard_ids: tuple[int, ...] | None = None,
    ) -> None:
        options = _options(guild_ready_timeout)
        if shard_ids is not None:
            options["shard_ids"] = list(shard_ids)
        super().__init__(**options, shard_count=shard_count)
        self.inbound = inbound
        self.tree = PivotTree(self)
        self.guild_ids = guild_ids
        self.api_url = api_url
        self.receiving = False  # False for a process that only sends (no sync, no gateway)

    @property
    def registers_commands(self) -> bool:
        """One replica registers ``/pivot``, not each: the one that runs shard 0."""
        return self.shard_ids is None or 0 in self.shard_ids

    async def setup_hook(self) -> None:
        self.add_dynamic_items(PivotButton)
        if not self.receiving:
            return
        if self.api_url:
            await self._use_gateway_from_api()
        if self.registers_commands:
            await self._sync_commands()

    def shards_problem(self) -> str | None:
        """Why this replica's shards cannot take interactions now, or None."""
        if not self.is_ready():
            return "the gateway is not ready"
        down = sorted(shard_id for shard_id, shard in self.shards.items() if shard.is_closed())
        if down:
            return f"shard {', '.join(map(str, down))} disconnected"
        return None

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
