"""Slack as a platform service for ``pivotbot serve``: routes or a socket in, the outbox out."""

from __future__ import annotations

import logging
from typing import Protocol, cast

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.platform_service import PlatformInputs
from adapters.slack_adapter.background import InFlight
from adapters.slack_adapter.bolt_app import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, build_app
from adapters.slack_adapter.directory import SlackDirectory
from adapters.slack_adapter.listeners import CommandListeners
from adapters.slack_adapter.oauth_stores import state_store
from adapters.slack_adapter.people import People
from adapters.slack_adapter.replies import Replies
from adapters.slack_adapter.sending import SlackSending
from adapters.slack_adapter.workspace_events import WorkspaceListeners
from bot.messages import SLACK

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0


class _Socket(Protocol):
    """Bolt's Socket Mode handler, typed: its own methods carry no annotations."""

    async def connect_async(self) -> None: ...

    async def close_async(self) -> None: ...


class SlackService:
    platform = SLACK

    def __init__(self, inputs: PlatformInputs) -> None:
        self._settings = inputs.settings
        self.sending = SlackSending(inputs)
        self._mode = self.sending.mode
        clients, installations = self.sending.clients, self.sending.installations
        self.outbox = self.sending.outbox
        self.directory = SlackDirectory(clients, self.sending.tokens)
        inputs.provide_directory(self.platform, self.directory)
        self.inflight = InFlight()
        states = state_store(inputs.lookups) if installations is not None else None
        self.app: AsyncApp = build_app(self._settings, clients, installations, states)
        people = People()
        replies = Replies(clients, self.outbox)
        CommandListeners(inputs.core, people, replies, self.inflight).register(self.app)
        WorkspaceListeners(inputs.core, people, self.inflight, installations).register(self.app)
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
            self._socket = AsyncSocketModeHandler(self.app, self._settings.slack_app_token)
            await cast(_Socket, self._socket).connect_async()
            log.info("Slack: connected in Socket Mode")

    async def stop(self) -> None:
        if self._socket is not None:
            await cast(_Socket, self._socket).close_async()
            self._socket = None
        await self.inflight.drain(SHUTDOWN_GRACE_SECONDS)
        await self.sending.stop()

    async def _events(self, request: web.Request) -> web.Response:
        async with self.inflight.after_answer():
            answer = await self.app.async_dispatch(await to_bolt_request(request))
            response = await to_aiohttp_response(answer)
            await response.prepare(request)
            await response.write_eof()  # Slack has its acknowledgement; now the work starts
        return response

    async def _install(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        answer = await self.app.oauth_flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    async def _redirect(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        answer = await self.app.oauth_flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(answer)
