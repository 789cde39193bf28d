"""Slack as a platform service for ``pivotbot serve``: routes or a socket in, the outbox out."""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol, cast

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.platform_service import PlatformInputs
from adapters.slack_adapter.background import InFlight
from adapters.slack_adapter.bolt_app import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, build_app
from adapters.slack_adapter.directory import SlackDirectory
from adapters.slack_adapter.home import HomeTabs
from adapters.slack_adapter.listeners import CommandListeners
from adapters.slack_adapter.oauth_stores import state_store
from adapters.slack_adapter.payloads import payload_problem
from adapters.slack_adapter.people import People
from adapters.slack_adapter.replies import Replies
from adapters.slack_adapter.request_checks import Refusal, bolt_request, signature_refusal
from adapters.slack_adapter.sending import SlackSending
from adapters.slack_adapter.workspace_events import WorkspaceListeners
from bot.messages import SLACK

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0


class _SocketClient(Protocol):
    async def is_connected(self) -> bool: ...


class _Socket(Protocol):
    """Bolt's Socket Mode handler, typed: its own methods carry no annotations."""

    client: _SocketClient

    async def connect_async(self) -> None: ...

    async def close_async(self) -> None: ...


class _CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode with the payload check HTTP requests get.

    Socket Mode needs no signature, but a payload Bolt or our listeners cannot read would
    still end in a traceback, and one that is not an object already fails in slack-sdk while
    it builds the request. So each envelope is checked as it arrives, before any of that: one
    that fails is acknowledged (Slack need not resend it), logged in one line, and has its
    payload taken away, which is how slack-sdk is told to build no request from it.
    """

    def __init__(self, app: AsyncApp, app_token: str) -> None:
        super().__init__(app, app_token)
        self.client.message_listeners.append(self._refuse_unreadable)

    @staticmethod
    async def _refuse_unreadable(
        client: AsyncBaseSocketModeClient, message: dict[Any, Any], _raw: str | None
    ) -> None:
        if "envelope_id" not in message or "payload" not in message:
            return
        problem = payload_problem(message["payload"])
        if problem is None:
            return
        del message["payload"]
        log.warning("Slack Socket Mode %s payload refused: %s", message.get("type"), problem)
        await client.send_socket_mode_response(
            SocketModeResponse(envelope_id=str(message["envelope_id"]))
        )


class SlackService:
    platform = SLACK

    def __init__(self, inputs: PlatformInputs) -> None:
        self._settings = inputs.settings
        self.sending = SlackSending(inputs)
        self._mode = self.sending.mode
        clients, installations = self.sending.clients, self.sending.installations
        self.outbox = self.sending.outbox
        people = People()
        self.directory = SlackDirectory(clients, self.sending.tokens, people)
        inputs.provide_directory(self.platform, self.directory)
        self.inflight = InFlight()
        states = state_store(inputs.lookups) if installations is not None else None
        self.app: AsyncApp = build_app(self._settings, clients, installations, states)
        replies = Replies(clients, self.outbox)
        self.homes = HomeTabs(inputs.core, self.inflight)
        CommandListeners(inputs.core, people, replies, self.inflight, self.homes).register(self.app)
        WorkspaceListeners(inputs.core, people, self.inflight, installations, self.homes).register(
            self.app
        )
        self._socket: AsyncSocketModeHandler | None = None

    def add_routes(self, app: web.Application) -> None:
        routes: list[web.RouteDef] = []
        if not self._mode.socket:
            routes.append(web.post(EVENTS_PATH, self._events))
        if self.app.oauth_flow is not None:
            routes += [web.get(INSTALL_PATH, self._install), web.get(REDIRECT_PATH, self._redirect)]
        app.add_routes(routes)

    async def start(self) -> None:
        await self.sending.start()
        if self._mode.socket:
            assert self._settings.slack_app_token is not None
            self._socket = _CheckedSocketModeHandler(self.app, self._settings.slack_app_token)
            await cast(_Socket, self._socket).connect_async()
            log.info("Slack: connected in Socket Mode")

    async def readiness(self) -> str | None:
        if self._mode.socket:
            socket = self._socket
            if socket is None or not await cast(_Socket, socket).client.is_connected():
                return "Socket Mode is not connected"
            return None
        return await self.sending.token_problem()

    async def stop(self) -> None:
        if self._socket is not None:
            await cast(_Socket, self._socket).close_async()
            self._socket = None
        self.homes.hurry()  # the Home refreshes still waiting go out now, not after a pause
        await self.inflight.drain(SHUTDOWN_GRACE_SECONDS)
        await self.sending.stop()

    async def settled(self) -> None:
        """Return once nothing is in flight, the Home refreshes still waiting included."""
        await self.inflight.settled(self.homes.hurry)

    async def _events(self, request: web.Request) -> web.Response:
        checked = await self._checked(request)
        if isinstance(checked, Refusal):
            level = (
                logging.INFO
                if checked.status == web.HTTPUnauthorized.status_code
                else logging.WARNING
            )
            log.log(level, "Slack request refused (%d): %s", checked.status, checked.reason)
            return web.Response(status=checked.status)
        async with self.inflight.after_answer():
            answer = await self.app.async_dispatch(checked)
            response = await to_aiohttp_response(answer)
            await response.prepare(request)
            await response.write_eof()  # Slack has its acknowledgement; now the work starts
        return response

    async def _checked(self, request: web.Request) -> AsyncBoltRequest | Refusal:
        """The request for Bolt once it is signed, fresh and readable; else why not."""
        body = await request.read()
        secret = self._settings.slack_signing_secret
        assert secret is not None  # HTTP mode is configured only with a signing secret
        refusal = signature_refusal(body, request.headers, secret, time.time())
        return refusal or bolt_request(body, request.query_string, request.headers)

    async def _install(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        answer = await self.app.oauth_flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    async def _redirect(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        answer = await self.app.oauth_flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(answer)
