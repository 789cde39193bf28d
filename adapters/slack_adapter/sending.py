"""Slack's sending side alone: Web API clients, each workspace's bot token and the ``Outbox``.

``pivotbot serve`` builds it inside the Slack service; ``pivotbot jobs run-due`` builds only
this, since a process that sends never needs Bolt or its listeners.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from adapters.platform_service import PlatformInputs, StartupError
from adapters.slack_adapter.bolt_app import SlackMode
from adapters.slack_adapter.clients import SlackClients
from adapters.slack_adapter.oauth_stores import installation_store
from adapters.slack_adapter.outbox import SlackOutbox
from adapters.slack_adapter.tokens import BotTokens, InstalledTokens, SettingsToken
from bot.messages import SLACK

log = logging.getLogger(__name__)

REFUSED_TOKEN = frozenset({"invalid_auth", "not_authed", "token_revoked", "account_inactive"})


class SlackSending:
    platform = SLACK

    def __init__(self, inputs: PlatformInputs) -> None:
        settings = inputs.settings
        self.mode = SlackMode.of(settings)
        self.clients = SlackClients(
            settings.slack_api_url, None if self.mode.oauth else settings.slack_bot_token
        )
        self.installations: AsyncSQLAlchemyInstallationStore | None = None
        self.tokens: BotTokens
        if self.mode.oauth:
            assert settings.slack_client_id is not None
            self.installations = installation_store(settings.slack_client_id, inputs.lookups)
            self.tokens = InstalledTokens(self.installations)
        else:
            assert settings.slack_bot_token is not None
            self.tokens = SettingsToken(settings.slack_bot_token)
        self.outbox = SlackOutbox(self.clients, self.tokens)
        self._token_checked = False  # auth.test accepted SLACK_BOT_TOKEN

    async def start(self) -> None:
        await self.clients.open()
        if not self.mode.oauth:
            await self._check_token()

    async def stop(self) -> None:
        await self.clients.close()

    async def token_problem(self) -> str | None:
        """Why this Slack cannot send yet: SLACK_BOT_TOKEN not yet accepted by ``auth.test``.

        With OAuth there is no one token to check; each workspace's comes with its install.
        """
        if self.mode.oauth or self._token_checked:
            return None
        try:
            await self._check_token()
        except StartupError as exc:
            return str(exc)
        return None if self._token_checked else "auth.test has not succeeded yet"

    async def _check_token(self) -> None:
        """A refused SLACK_BOT_TOKEN stops the start with one line; a network blip does not
        (readiness asks again until Slack answers)."""
        try:
            who = await self.clients.app_client.auth_test()
        except SlackApiError as error:
            code = error.response.get("error")
            if code in REFUSED_TOKEN:
                raise StartupError(f"Slack refused SLACK_BOT_TOKEN ({code})") from error
            log.warning("Slack auth.test failed (%s); carrying on", code)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("Slack is not reachable yet (%s); carrying on", exc)
        else:
            self._token_checked = True
            log.info("Slack: workspace %s as %s", who.get("team"), who.get("user"))
