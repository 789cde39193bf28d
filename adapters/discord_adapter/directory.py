"""The ``Directory`` for Discord: can pivotbot post in a cohort's channel, and what is a
person called?

Asked when an admin sets a cohort's channel, so a missing permission is fixed then, with the
exact permissions to grant, rather than discovered when the first leaderboard fails to post.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.ports import ChannelRef

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0  # the admin's interaction is waiting; an unknown answer is not a problem
NEEDED = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("attach_files", "Attach Files"),
)
GRANT = (
    "give pivotbot View Channel, Send Messages, Embed Links and Attach Files in that channel "
    "(channel settings ▸ Permissions ▸ add the pivotbot role)"
)


class DiscordDirectory:
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def channel_problem(self, tenant_id: str, channel_id: str) -> str | None:
        try:
            return await asyncio.wait_for(self._problem(tenant_id, channel_id), CHECK_TIMEOUT)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            log.warning("could not check channel %s: %s", channel_id, exc)
            return None

    async def find_channel(self, tenant_id: str, written: str) -> ChannelRef | None:
        """Discord's channel option always carries the id; this serves a name typed by hand."""
        name = written.removeprefix("#").lower()
        guild = self._client.get_guild(int(tenant_id)) if tenant_id.isdigit() else None
        if guild is None:
            return None
        for channel in guild.text_channels:
            if str(channel.id) == written or channel.name.lower() == name:
                return ChannelRef(str(channel.id), channel.name)
        return None

    async def user_name(self, tenant_id: str, user_id: str) -> str | None:
        """The server's name for them if the gateway told us, else their own; Discord's user
        option already carries it, so this serves an id typed by hand."""
        if not user_id.isdigit():
            return None
        guild = self._client.get_guild(int(tenant_id)) if tenant_id.isdigit() else None
        member = guild.get_member(int(user_id)) if guild is not None else None
        if member is not None:
            return member.display_name
        cached = self._client.get_user(int(user_id))
        if cached is not None:
            return cached.display_name
        try:
            fetched = await asyncio.wait_for(self._client.fetch_user(int(user_id)), CHECK_TIMEOUT)
        except (discord.HTTPException, TimeoutError, aiohttp.ClientError, OSError) as exc:
            log.info("could not look up user %s: %s", user_id, exc)
            return None
        return fetched.display_name

    async def is_admin(self, tenant_id: str, user_id: str) -> bool | None:
        """Manage Server, as the guild's member list in the gateway's cache says; a member the
        cache does not hold cannot be judged here."""
        if not (tenant_id.isdigit() and user_id.isdigit()):
            return None
        guild = self._client.get_guild(int(tenant_id))
        member = guild.get_member(int(user_id)) if guild is not None else None
        if member is None:
            return None
        return member.guild_permissions.manage_guild

    async def _problem(self, tenant_id: str, channel_id: str) -> str | None:
        if not channel_id.isdigit():
            return f"`{channel_id[:40]}` isn't a Discord channel; pick one from the list."
        try:
            channel = self._client.get_channel(int(channel_id))
            if channel is None:
                channel = await self._client.fetch_channel(int(channel_id))
        except discord.Forbidden:
            return f"pivotbot can't see <#{channel_id}>, so it can't post there: {GRANT}."
        except discord.NotFound:
            return f"pivotbot can't find channel {channel_id}; pick a text channel in this server."
        except discord.InvalidData:
            return f"<#{channel_id}> is not a text channel; pick a text channel for posts."
        except discord.HTTPException as exc:
            log.warning("could not check channel %s: %s", channel_id, exc)
            return None
        guild = getattr(channel, "guild", None)
        if guild is None or str(guild.id) != tenant_id:
            return f"<#{channel_id}> is not in this server; pick one of this server's channels."
        if not isinstance(channel, discord.TextChannel):  # announcement channels are TextChannels
            return f"<#{channel_id}> is not a text channel; pick a text channel for posts."
        me = guild.me
        if me is None or guild.get_role(guild.id) is None:
            return None  # roles unknown (no gateway data yet): better silent than wrong
        allowed = channel.permissions_for(me)
        missing = [label for attr, label in NEEDED if not getattr(allowed, attr)]
        if missing:
            return f"pivotbot lacks {', '.join(missing)} in <#{channel_id}>: {GRANT}."
        return None
