"""Slack as a platform service for ``pivotbot serve``: routes or a socket in, the outbox out."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.composition import Runtime, StartupError
from adapters.slack_adapter.background import InFlight
from adapters.slack_adapter.bolt_app import (
    EVENTS_PATH,
    INSTALL_PATH,
    OAUTH_STATE_SECONDS,
    REDIRECT_PATH,
    SlackMode,
    build_app,
)
from adapters.slack_adapter.clients import SlackClients
from adapters.slack_adapter.directory import SlackDirectory
from adapters.slack_adapter.listeners import CommandListeners
from adapters.slack_adapter.oauth_tables import BOTS_TABLE, INSTALLATIONS_TABLE, STATES_TABLE
from adapters.slack_adapter.outbox import SlackOutbox
from adapters.slack_adapter.people import People
from adapters.slack_adapter.replies import Replies
from adapters.slack_adapter.tokens import BotTokens, InstalledTokens, SettingsToken
from adapters.slack_adapter.workspace_events import WorkspaceListeners
from bot.db.engine import create_engine

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0
REFUSED_TOKEN = frozenset({"invalid_auth", "not_authed", "token_revoked", "account_inactive"})


class SlackService:
    platform = "slack"

    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        self._settings = settings
        self._mode = SlackMode.of(settings)
        self._clients = SlackClients(
            settings.slack_api_url, None if self._mode.oauth else settings.slack_bot_token
        )
        self._store_engine: AsyncEngine | None = None
        installations: AsyncSQLAlchemyInstallationStore | None = None
        states: AsyncSQLAlchemyOAuthStateStore | None = None
        tokens: BotTokens
        if self._mode.oauth:
            assert settings.slack_client_id is not None
            # Deferred transactions: looking up a workspace's token before the ack must never
            # wait behind a writer (SQLite's WAL lets readers through).
            self._store_engine = create_engine(settings.database_url, immediate=False)
            installations = AsyncSQLAlchemyInstallationStore(
                client_id=settings.slack_client_id,
                engine=self._store_engine,
                bots_table_name=BOTS_TABLE,
                installations_table_name=INSTALLATIONS_TABLE,
            )
            states = AsyncSQLAlchemyOAuthStateStore(
                expiration_seconds=OAUTH_STATE_SECONDS,
                engine=self._store_engine,
                table_name=STATES_TABLE,
            )
            tokens = InstalledTokens(installations, self._store_engine)
        else:
            assert settings.slack_bot_token is not None
            tokens = SettingsToken(settings.slack_bot_token)
        self.outbox = SlackOutbox(self._clients, tokens)
        self.directory = SlackDirectory(self._clients, tokens)
        self.inflight = InFlight()
        self.app: AsyncApp = build_app(settings, self._clients, installations, states)
        people = People()
        replies = Replies(self._clients, self.outbox)
        CommandListeners(runtime.core, people, replies, self.inflight).register(self.app)
        WorkspaceListeners(runtime.core, people, self.inflight, installations).register(self.app)
        self._socket: AsyncSocketModeHandler | None = None

    def add_routes(self, app: web.Application) -> None:
        routes: list[web.RouteDef] = []
        if not self._mode.socket:
            routes.append(web.post(EVENTS_PATH, self._events))
        if self.app.oauth_flow is not None:
            routes += [web.get(INSTALL_PATH, self._install), web.get(REDIRECT_PATH, self._redirect)]
        app.add_routes(routes)

    async def start(self) -> None:
        await self.start_outbound()
        if self._mode.socket:
            self._socket = AsyncSocketModeHandler(self.app, self._settings.slack_app_token)
            await self._socket.connect_async()
            log.info("Slack: connected in Socket Mode")

    async def start_outbound(self) -> None:
        await self._clients.open()
        if not self._mode.oauth:
            await self._check_token()

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.inflight.drain(SHUTDOWN_GRACE_SECONDS)
        await self._clients.close()
        if self._store_engine is not None:
            await self._store_engine.dispose()

    async def _check_token(self) -> None:
        """A refused SLACK_BOT_TOKEN stops the start with one line; a network blip does not."""
        try:
            who = await self._clients.app_client.auth_test()
        except SlackApiError as error:
            code = error.response.get("error")
            if code in REFUSED_TOKEN:
                raise StartupError(f"Slack refused SLACK_BOT_TOKEN ({code})") from error
            log.warning("Slack auth.test failed (%s); carrying on", code)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("Slack is not reachable yet (%s); carrying on", exc)
        else:
            log.info("Slack: workspace %s as %s", who.get("team"), who.get("user"))

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


def build_slack_service(runtime: Runtime) -> SlackService:
    return SlackService(runtime)
