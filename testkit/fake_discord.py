"""A fake of Discord's REST API (and, in ``fake_discord_gateway``, its gateway) on loopback.

It records every call: interaction callbacks, follow-ups, DMs, channel posts and command syncs,
and answers as Discord does, including its failures on demand: ``fail(...)`` makes the next
matching calls answer 429 or an error code such as 50007.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from testkit.discord_payloads import APP_ID, BOT_ID, TIMESTAMP, bot_user, user_json
from testkit.fake_discord_gateway import FakeGateway, FakeGuild
from testkit.local_server import LocalServer

API = "/api/v10"


@dataclass
class Call:
    method: str
    path: str
    body: Any
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 200
    at: float = field(default_factory=time.perf_counter)  # when it arrived, for bench/


class FakeDiscord(LocalServer[Call]):
    def __init__(self) -> None:
        super().__init__()
        self.users: dict[int, dict[str, Any]] = {}
        self.closed_dms: set[int] = set()
        self.token = "test-token"  # the only bot token this Discord accepts
        self.gateway = FakeGateway(self)
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self._answered: set[str] = set()
        self._dm_channels: dict[int, int] = {}  # DM channel id -> user id

    # --- set-up ---

    def add_guild(self, guild: FakeGuild) -> FakeGuild:
        self.gateway.guilds[guild.id] = guild
        return guild

    def add_user(self, user_id: int, name: str) -> dict[str, Any]:
        self.users[user_id] = user_json(user_id, name)
        return self.users[user_id]

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        code: int = 0,
        message: str = "error",
        retry_after: float | None = None,
        via: bool = True,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls matching ``path`` (a regex) with this error."""
        body: dict[str, Any] = {"code": code, "message": message}
        headers: dict[str, str] = {}
        if retry_after is not None:
            body["retry_after"] = retry_after
            body["global"] = False
            headers["Retry-After"] = str(retry_after)
        if via:
            headers["Via"] = "1.1 google"
        self.fail_next(f"{re.escape(method)} {path}", status, body, headers, times)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/gateway", self.gateway.handle),
            web.route("*", API + "/{tail:.*}", self._handle),
        ]

    async def closing(self) -> None:
        await self.gateway.close()

    # --- reading what happened ---

    def find(self, method: str, pattern: str) -> list[Call]:
        regex = re.compile(pattern)
        return [c for c in self.calls if c.method == method and regex.fullmatch(c.path)]

    def messages_to(self, channel_id: int) -> list[Call]:
        return self.find("POST", f"/channels/{channel_id}/messages")

    def dm_channel_of(self, user_id: int) -> int:
        for channel, user in self._dm_channels.items():
            if user == user_id:
                return channel
        raise KeyError(user_id)

    # --- the API ---

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        auth = request.headers.get("Authorization")
        if auth is not None and auth != f"Bot {self.token}":
            await self.record(Call(request.method, path, body, files, 401))
            return _json({"code": 0, "message": "401: Unauthorized"}, 401)
        failure = self.failure_for(f"{request.method} {path}")
        if failure is not None:
            await self.record(Call(request.method, path, body, files, failure.status))
            return _json(failure.body, failure.status, failure.headers)
        status, answer = self._answer(request.method, path, body, files)
        await self.record(Call(request.method, path, body, files, status))
        if answer is None:
            return web.Response(status=status)
        return _json(answer, status)

    def _answer(
        self, method: str, path: str, body: Any, files: dict[str, bytes]
    ) -> tuple[int, Any]:
        route = f"{method} {path}"
        if route == "GET /users/@me":
            return 200, bot_user()
        if route == "GET /oauth2/applications/@me":
            return 200, _application()
        if route == "GET /gateway/bot":
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            shards = self.gateway.shard_count
            return 200, {"url": self.gateway_url, "shards": shards, "session_start_limit": limit}
        if match := re.fullmatch(rf"PUT /applications/{APP_ID}(?:/guilds/(\d+))?/commands", route):
            return 200, [_synced(c, match[1]) for c in body]
        if match := re.fullmatch(r"POST /interactions/(\d+)/([^/]+)/callback", route):
            return self._callback(match[1], body, files)
        if re.fullmatch(rf"(POST|PATCH) /webhooks/{APP_ID}/[^/]+(/messages/@original)?", route):
            return 200, self.message(0, body, files)
        if re.fullmatch(rf"DELETE /webhooks/{APP_ID}/[^/]+/messages/@original", route):
            return 204, None
        if match := re.fullmatch(r"GET /users/(\d+)", route):
            user = self.users.get(int(match[1]))
            return (200, user) if user else _error(404, 10013, "Unknown User")
        if route == "POST /users/@me/channels":
            return 200, self._open_dm(int(body["recipient_id"]))
        if match := re.fullmatch(r"POST /channels/(\d+)/messages", route):
            return self._post(int(match[1]), body, files)
        if match := re.fullmatch(r"GET /channels/(\d+)", route):
            return self._channel(int(match[1]))
        return _error(404, 0, f"the fake has no route for {route}")

    def _callback(self, interaction_id: str, body: Any, files: dict[str, bytes]) -> tuple[int, Any]:
        if interaction_id in self._answered:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        self._answered.add(interaction_id)
        kind = int(body["type"])
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(flags & 64),
            }
        }
        if kind in (4, 5):
            message = self.message(0, data, files)
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        else:
            answer["resource"] = {"type": kind}
        return 200, answer

    def _open_dm(self, user_id: int) -> dict[str, Any]:
        channel = next((c for c, u in self._dm_channels.items() if u == user_id), None)
        if channel is None:
            channel = next(self._ids)
            self._dm_channels[channel] = user_id
        recipient = self.users.get(user_id) or user_json(user_id, f"user{user_id}")
        return {"id": str(channel), "type": 1, "recipients": [recipient], "last_message_id": None}

    def _post(self, channel_id: int, body: Any, files: dict[str, bytes]) -> tuple[int, Any]:
        if channel_id in self._dm_channels:
            if self._dm_channels[channel_id] in self.closed_dms:
                return _error(403, 50007, "Cannot send messages to this user")
            return 200, self.message(channel_id, body, files)
        guild_channel = self.gateway.channel(channel_id)
        if guild_channel is None:
            return _error(404, 10003, "Unknown Channel")
        if not guild_channel.visible:
            return _error(403, 50001, "Missing Access")
        return 200, self.message(channel_id, body, files)

    def _channel(self, channel_id: int) -> tuple[int, Any]:
        guild_channel = self.gateway.channel(channel_id)
        if guild_channel is None:
            return _error(404, 10003, "Unknown Channel")
        if not guild_channel.visible:
            return _error(403, 50001, "Missing Access")
        return 200, guild_channel.json()

    def message(self, channel_id: int, body: Any, files: dict[str, bytes]) -> dict[str, Any]:
        """A message as Discord returns it, echoing what was sent."""
        body = body or {}
        attachments = [
            {
                "id": str(next(self._ids)),
                "filename": name,
                "size": len(content),
                "url": f"https://cdn.example/{name}",
                "proxy_url": f"https://cdn.example/{name}",
            }
            for name, content in files.items()
        ]
        return {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "type": 0,
            "content": body.get("content") or "",
            "author": bot_user(),
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments,
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "flags": int(body.get("flags") or 0),
            "pinned": False,
            "application_id": str(APP_ID),
        }


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    if request.content_type == "multipart/form-data":
        form = await request.post()
        files = {
            part.filename: part.file.read()
            for key, part in form.items()
            if key.startswith("files[") and isinstance(part, web.FileField)
        }
        payload = form.get("payload_json")
        return (json.loads(str(payload)) if payload else {}), files
    if request.can_read_body:
        text = await request.text()
        return (json.loads(text) if text else None), {}
    return None, {}


def _json(data: Any, status: int, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py parses a body as JSON only when the type is exactly application/json."""
    headers = {**(headers or {}), "Content-Type": "application/json"}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=headers)


def _error(status: int, code: int, message: str) -> tuple[int, Any]:
    return status, {"code": code, "message": message}


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "pivotbot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user_json(BOT_ID + 1, "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
        "interactions_endpoint_url": None,
    }


def _synced(command: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
    synced = {"id": str(abs(hash(command["name"])) % 10**18), "application_id": str(APP_ID)}
    synced.update(command)
    synced["version"] = "1"
    if guild_id:
        synced["guild_id"] = guild_id
    return synced
