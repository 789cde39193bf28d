"""A local fake of Slack's Web API, its response URLs, file uploads and Socket Mode, on loopback.

The adapter reaches it through ``SLACK_API_URL`` exactly as it would reach Slack. It records
every call, answers like Slack does, and on demand answers a method with an error or a 429
with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from testkit.local_server import LocalServer


@dataclass
class Call:
    method: str
    token: str | None
    args: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)  # when it arrived


@dataclass
class Posted:
    """A body sent to a response URL, and when it arrived (``time.perf_counter``)."""

    key: str
    body: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)


class FakeSlack(LocalServer[Call]):
    def __init__(self) -> None:
        super().__init__()
        self.responses: list[Posted] = []
        self._responses_by_key: dict[str, list[Posted]] = {}  # many waiters look up by key
        self.uploads: dict[str, bytes] = {}
        self.socket_acks: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.team_of_token: dict[str, str] = {"xoxb-test": "T1"}
        self.team_of_code: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self.delay = 0.0  # seconds each Web API call takes, for a slow Slack

    # --- lifecycle ---

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/api/{method}", self._api),
            web.post("/respond/{key}", self._respond),
            web.post("/upload/{file_id}", self._upload),
            web.get("/socket", self._socket),
            web.get("/_fake/responses/{key}", self._await_response),
            web.get("/_fake/calls/{method}", self._await_calls),
            web.get("/_fake/arrivals", self._arrivals),
        ]

    async def closing(self) -> None:
        for socket in self._sockets:
            await socket.close()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/respond/{key}"

    # --- what the test asks for ---

    def fail(self, method: str, error: str, times: int = 1) -> None:
        self.fail_next(re.escape(method), 200, {"ok": False, "error": error}, times=times)

    def rate_limit(self, method: str, retry_after: int, times: int = 1) -> None:
        body = {"ok": False, "error": "ratelimited"}
        headers = {"Retry-After": str(retry_after)}
        self.fail_next(re.escape(method), 429, body, headers, times)

    def add_user(self, user_id: str, name: str, *, admin: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": name.lower(),
            "is_admin": admin,
            "profile": {"display_name": name, "real_name": name},
        }

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for_calls(self, method: str, count: int = 1) -> list[Call]:
        await self.wait_for(lambda: len(self.calls_to(method)) >= count, f"{count} x {method}")
        return self.calls_to(method)

    def responses_to(self, key: str) -> list[Posted]:
        return list(self._responses_by_key.get(key, ()))

    async def wait_for_responses(self, key: str, count: int = 1) -> list[Posted]:
        """The bodies posted to the response URL ``key``, once there are ``count`` of them."""
        await self.wait_for(lambda: len(self.responses_to(key)) >= count, f"{count} posts to {key}")
        return self.responses_to(key)

    async def push(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send a Socket Mode envelope to the connected app and return its acknowledgement."""
        await self.wait_for(lambda: bool(self._sockets), "a Socket Mode connection")
        await self._sockets[-1].send_str(json.dumps(envelope))
        envelope_id = envelope["envelope_id"]
        await self.wait_for(
            lambda: any(a.get("envelope_id") == envelope_id for a in self.socket_acks),
            f"the ack of envelope {envelope_id}",
        )
        return next(a for a in self.socket_acks if a.get("envelope_id") == envelope_id)

    # --- the Web API ---

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        token = args.pop("token", None) or token
        if self.delay:
            await asyncio.sleep(self.delay)
        await self.record(Call(method, token, args))
        failure = self.failure_for(method)
        if failure is not None:
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        answer = self._answers().get(method)
        result = {"error": "unknown_method"} if answer is None else answer(token, args)
        return web.json_response({"ok": "error" not in result, **result})

    def _answers(self) -> dict[str, Callable[[str | None, dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.list": self._conversations_list,
            "chat.postMessage": self._post_message,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "oauth.v2.access": self._oauth_v2_access,
            "apps.connections.open": self._apps_connections_open,
        }

    def _auth_test(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        team = self.team_of_token.get(token or "")
        return {"team_id": team, "team": f"Team {team}", "user_id": "UBOT", "bot_id": "BBOT"}

    def _users_info(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user"))
        default = {"id": user_id, "name": user_id.lower(), "profile": {"display_name": user_id}}
        return {"user": self.users.get(user_id, default)}

    def _conversations_open(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(args.get("users"))}}

    def _post_message(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": args.get("channel"), "ts": f"1700000000.{next(self._ids):06d}"}

    def _conversations_info(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel")))
        return {"channel": channel} if channel else {"error": "channel_not_found"}

    def _conversations_list(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"channels": list(self.channels.values()), "response_metadata": {}}

    def _views_open(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {**args["view"], "id": f"V{next(self._ids)}", "hash": "h1"}}

    def _views_update(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {**args["view"], "id": args.get("view_id"), "hash": "h2"}}

    def _views_publish(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {**args["view"], "id": "VHOME"}}

    def _upload_url(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids)}"
        return {"file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def _complete_upload(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        files = json.loads(files) if isinstance(files, str) else files
        return {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _oauth_v2_access(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        team = self.team_of_code[str(args["code"])]
        bot_token = f"xoxb-{team}"
        self.team_of_token[bot_token] = team
        return {
            "app_id": "A1",
            "authed_user": {"id": f"U-installer-{team}"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": bot_token,
            "bot_user_id": "UBOT",
            "team": {"id": team, "name": f"Team {team}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    # --- for a driver in another process (the benchmark): wait over HTTP ---

    async def _await_response(self, request: web.Request) -> web.Response:
        (posted,) = await self.wait_for_responses(request.match_info["key"])
        return web.json_response(posted.body)

    async def _await_calls(self, request: web.Request) -> web.Response:
        count = int(request.query.get("count", "1"))
        return web.json_response(
            len(await self.wait_for_calls(request.match_info["method"], count))
        )

    # --- response URLs, uploads and Socket Mode ---

    async def _arrivals(self, _request: web.Request) -> web.Response:
        """When each response URL's first body arrived (``time.perf_counter``, which on Linux
        every process reads from one clock), and what it said."""
        first = {key: posted[0] for key, posted in self._responses_by_key.items()}
        return web.json_response({k: {"at": p.at, "body": p.body} for k, p in first.items()})

    async def _respond(self, request: web.Request) -> web.Response:
        posted = Posted(request.match_info["key"], await request.json())
        self.responses.append(posted)
        self._responses_by_key.setdefault(posted.key, []).append(posted)
        await self.changed()
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        await self.changed()
        return web.Response(text="OK")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        await self.changed()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(frame.data))
                await self.changed()
        return socket


async def _arguments(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        args.update(await request.json())
    elif request.can_read_body:
        args.update(await request.post())
    for key in ("view", "blocks"):
        if isinstance(args.get(key), str):
            args[key] = json.loads(args[key])
    return args
