"""Answers to a member's own request: through its ``response_url`` when it has one (ephemeral
unless the reply says otherwise), else as a DM; files follow by upload.

These are replies, not outbox messages: the member is waiting for them now, and a request
Slack never retries has nothing to deliver later.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.block_kit import SlackMessage, message
from adapters.slack_adapter.clients import SlackClients
from adapters.slack_adapter.outbox import SlackOutbox, upload_files
from adapters.slack_adapter.slack_text import escape
from bot.messages import ChatUser, Reply
from bot.ports import Sent

log = logging.getLogger(__name__)


class Replies:
    def __init__(self, clients: SlackClients, outbox: SlackOutbox) -> None:
        self._clients = clients
        self._outbox = outbox

    async def answer(
        self,
        client: AsyncWebClient,
        user: ChatUser,
        reply: Reply,
        response_url: str | None,
        channel_id: str | None,
    ) -> None:
        rendered = message(reply)
        public = not (reply.ephemeral or reply.is_error)
        if response_url and await self._clients.respond(response_url, _payload(rendered, public)):
            problems = await self._upload(client, user, rendered, channel_id if public else None)
            if problems:
                await self._clients.respond(
                    response_url, {"response_type": "ephemeral", "text": escape(" ".join(problems))}
                )
            return
        result = await self._outbox.send_dm(user, reply)
        if not isinstance(result, Sent):
            log.warning("could not answer %s/%s: %s", user.tenant_id, user.user_id, result)

    async def _upload(
        self,
        client: AsyncWebClient,
        user: ChatUser,
        rendered: SlackMessage,
        channel_id: str | None,
    ) -> list[str]:
        """Files go where the reply went: the channel for a public reply, else the DM."""
        if not rendered.uploads:
            return []
        if channel_id is not None and not await upload_files(client, channel_id, None, rendered):
            return []
        try:
            opened = await client.conversations_open(users=user.user_id)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("cannot open a DM with %s: %s", user.user_id, exc)
            return ["Your file could not be sent: pivotbot cannot open a DM with you."]
        return await upload_files(client, str(opened["channel"]["id"]), None, rendered)


def _payload(rendered: SlackMessage, public: bool) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "response_type": "in_channel" if public else "ephemeral",
        "replace_original": False,
        "text": rendered.text,
    }
    if rendered.blocks:
        payload["blocks"] = list(rendered.blocks)
    return payload
