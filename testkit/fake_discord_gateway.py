"""A fake Discord gateway on loopback: HELLO, IDENTIFY, READY, GUILD_CREATE, then whatever
events a test dispatches (INTERACTION_CREATE above all)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

import discord
from aiohttp import WSMsgType, web

from testkit.discord_payloads import APP_ID, BOT_ID, TIMESTAMP, bot_user

EVERYONE = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    use_application_commands=True,
).value


@dataclass
class FakeChannel:
    id: int
    name: str
    guild_id: int
    type: int = 0
    visible: bool = True  # False: the bot has no access (403 50001)
    bot_denied: int = 0  # permission bits an overwrite denies the bot

    def json(self) -> dict[str, Any]:
        overwrites = []
        if self.bot_denied:
            overwrites.append(
                {"id": str(BOT_ID), "type": 1, "allow": "0", "deny": str(self.bot_denied)}
            )
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": 0,
            "permission_overwrites": overwrites,
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class FakeGuild:
    id: int
    name: str
    channels: list[FakeChannel] = field(default_factory=list)

    def channel(self, name: str, channel_id: int, **kwargs: Any) -> FakeChannel:
        made = FakeChannel(channel_id, name, self.id, **kwargs)
        self.channels.append(made)
        return made

    def json(self) -> dict[str, Any]:
        everyone = {
            "id": str(self.id),
            "name": "@everyone",
            "permissions": str(EVERYONE),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        me = {
            "user": bot_user(),
            "roles": [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
        }
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(BOT_ID + 100),
            "roles": [everyone],
            "channels": [c.json() for c in self.channels if c.visible],
            "members": [me],
            "member_count": 2,
            "features": [],
            "unavailable": False,
            "large": False,
            "joined_at": TIMESTAMP,
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
        }


class Resumable(Protocol):
    """Where a client reconnects to: the fake Discord serving this gateway."""

    @property
    def gateway_url(self) -> str: ...


class FakeGateway:
    """One gateway for every shard: each connection names its shard in IDENTIFY and gets the
    guilds that shard owns (``(guild_id >> 22) % shard_count``), as Discord does."""

    def __init__(self, fake: Resumable, shard_count: int = 1) -> None:
        self._fake = fake
        self.shard_count = shard_count
        self.guilds: dict[int, FakeGuild] = {}
        self.identify: dict[str, Any] | None = None  # the latest IDENTIFY
        self.identified = asyncio.Event()
        self.shards: dict[int, web.WebSocketResponse] = {}  # shard id -> its connection
        self._sequence = 0

    def shard_of(self, guild_id: int | None) -> int:
        return 0 if guild_id is None else (guild_id >> 22) % self.shard_count

    def channel(self, channel_id: int) -> FakeChannel | None:
        for guild in self.guilds.values():
            for channel in guild.channels:
                if channel.id == channel_id:
                    return channel
        return None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif frame["op"] == 2:
                self.identify = frame["d"]
                shard = int((frame["d"].get("shard") or [0, 1])[0])
                self.shards[shard] = socket
                await self._ready(shard)
                self.identified.set()
        return socket

    async def _ready(self, shard: int) -> None:
        mine = [g for g in self.guilds.values() if self.shard_of(g.id) == shard]
        await self._send(
            shard,
            "READY",
            {
                "v": 10,
                "user": bot_user(),
                "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
                "session_id": f"fake-session-{shard}",
                "resume_gateway_url": self._fake.gateway_url,
                "shard": [shard, self.shard_count],
                "application": {"id": str(APP_ID), "flags": 0},
            },
        )
        for guild in mine:
            await self._send(shard, "GUILD_CREATE", guild.json())

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event on the connection of the shard that owns its guild (DMs: shard 0)."""
        guild = data.get("guild_id")
        await self._send(self.shard_of(int(guild) if guild else None), event, data)

    async def _send(self, shard: int, event: str, data: dict[str, Any]) -> None:
        socket = self.shards.get(shard)
        if socket is None:
            raise RuntimeError(f"no client runs shard {shard} on the fake gateway")
        self._sequence += 1
        await socket.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close every connection; 4004 is how Discord says the token stopped being valid."""
        for socket in self.shards.values():
            if not socket.closed:
                await socket.close(code=code, message=reason.encode())
