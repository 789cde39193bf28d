"""Web API clients on ``SLACK_API_URL``, all sharing one connection pool.

Every client this adapter builds comes from here, so GovSlack, a proxy or a test fake behind
``SLACK_API_URL`` sees every call, OAuth included.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

log = logging.getLogger(__name__)


class SlackClients:
    def __init__(self, api_url: str, app_token: str | None = None) -> None:
        """``app_token`` is the bot token Bolt uses for one workspace; None with OAuth."""
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.app_client = AsyncWebClient(token=app_token, base_url=self.api_url)
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        """Share one pool from now on; until then each call opens its own (slower, still works)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
            # Bolt copies this client's session into the client it builds for each request.
            self.app_client.session = self._session

    async def close(self) -> None:
        if self._session is not None:
            self.app_client.session = None
            await self._session.close()
            self._session = None

    def web(self, token: str | None) -> AsyncWebClient:
        return AsyncWebClient(token=token, base_url=self.api_url, session=self._session)

    async def respond(self, response_url: str, payload: dict[str, Any]) -> bool:
        """Answer through a command's or a button's ``response_url``; False when Slack refused."""
        try:
            answer = await AsyncWebhookClient(response_url, session=self._session).send_dict(
                payload
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("response_url failed: %s", exc)
            return False
        if answer.status_code != 200:
            log.warning("response_url answered %s: %s", answer.status_code, answer.body[:200])
            return False
        return True
