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
    def __init__(self, fake: Resumable) -> None:
        self._fake = fake
        self.guilds: dict[int, FakeGuild] = {}
        self.identify: dict[str, Any] | None = None
        self.identified = asyncio.Event()
        self._socket: web.WebSocketResponse | None = None
        self._sequence = 0

    def channel(self, channel_id: int) -> FakeChannel | None:
        for guild in self.guilds.values():
            for channel in guild.channels:
                if channel.id == channel_id:
                    return channel
        return None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif frame["op"] == 2:
                self.identify = frame["d"]
                await self._ready()
                self.identified.set()
        return socket

    async def _ready(self) -> None:
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": bot_user(),
                "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
                "session_id": "fake-session",
                "resume_gateway_url": self._fake.gateway_url,
                "shard": [0, 1],
                "application": {"id": str(APP_ID), "flags": 0},
            },
        )
        for guild in self.guilds.values():
            await self.dispatch("GUILD_CREATE", guild.json())

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        if self._socket is None:
            raise RuntimeError("no client is connected to the fake gateway")
        self._sequence += 1
        await self._socket.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection; 4004 is how Discord says the token stopped being valid."""
        if self._socket is not None and not self._socket.closed:
            await self._socket.close(code=code, message=reason.encode())
