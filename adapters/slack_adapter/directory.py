"""The ``Directory`` for Slack: which channel a name means, why the bot could not post there,
and what a person is called."""

from __future__ import annotations

import logging
import re

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.clients import SlackClients
from adapters.slack_adapter.people import People
from adapters.slack_adapter.tokens import BotTokens
from bot.ports import ChannelRef

log = logging.getLogger(__name__)

INVITE = "invite it there with `/invite @pivotbot`"
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
_PAGES = 20  # 20 x 1000 channels is plenty; a bigger workspace should pick from the list


class SlackDirectory:
    def __init__(self, clients: SlackClients, tokens: BotTokens, people: People) -> None:
        self._clients = clients
        self._tokens = tokens
        self._people = people

    async def user_name(self, tenant_id: str, user_id: str) -> str | None:
        client = await self._client(tenant_id)
        if client is None:
            return None
        name = (await self._people.lookup(client, tenant_id, user_id)).display_name
        return None if name == user_id else name

    async def is_admin(self, tenant_id: str, user_id: str) -> bool | None:
        """A workspace admin or owner, as ``users.info`` says (cached a few minutes)."""
        client = await self._client(tenant_id)
        if client is None:
            return None
        return (await self._people.lookup(client, tenant_id, user_id)).is_admin

    async def channel_problem(self, tenant_id: str, channel_id: str) -> str | None:
        client = await self._client(tenant_id)
        if client is None:
            return None
        try:
            answer = await client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            if error.response.get("error") == "channel_not_found":
                return (
                    "pivotbot can't see that channel. If it is private, "
                    f"{INVITE} first, or leaderboards won't arrive."
                )
            log.info("conversations.info %s: %s", channel_id, error)
            return None
        except (aiohttp.ClientError, TimeoutError):
            return None
        channel = answer.get("channel") or {}
        name = channel.get("name") or channel_id
        if channel.get("is_archived"):
            return f"#{name} is archived, so nothing can be posted there. Pick another channel."
        if channel.get("is_member") is False:
            return f"pivotbot isn't in #{name} yet: {INVITE}, or leaderboards won't arrive."
        return None

    async def find_channel(self, tenant_id: str, written: str) -> ChannelRef | None:
        client = await self._client(tenant_id)
        if client is None:
            return None
        name = written.removeprefix("#").lower()
        try:
            if _CHANNEL_ID.match(written):
                answer = await client.conversations_info(channel=written)
                channel = answer.get("channel") or {}
                return ChannelRef(written, str(channel.get("name") or written))
            return await self._by_name(client, name)
        except SlackApiError as error:
            log.info("channel lookup %r: %s", written, error)
            return None
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def _by_name(self, client: AsyncWebClient, name: str) -> ChannelRef | None:
        cursor: str | None = None
        for _page in range(_PAGES):
            answer = await client.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=1000,
                cursor=cursor,
            )
            for channel in answer.get("channels") or []:
                if str(channel.get("name", "")).lower() == name:
                    return ChannelRef(str(channel["id"]), str(channel["name"]))
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return None
        return None

    async def _client(self, team_id: str) -> AsyncWebClient | None:
        token = await self._tokens.for_team(team_id)
        return self._clients.web(token) if token else None
