"""The ``Outbox`` for Slack: DMs and channel posts, with Slack's answers as delivery results.

A DM is ``conversations.open`` then ``chat.postMessage``; files go up with
``files_upload_v2``. Failures come back as values (a 429 as ``RetryAfter``, a user who can
never receive as ``Undeliverable``) so the deliverer knows whether trying again can help.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.block_kit import SlackMessage, message
from adapters.slack_adapter.clients import SlackClients
from adapters.slack_adapter.tokens import BotTokens
from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult, RetryAfter, Sent, Undeliverable

log = logging.getLogger(__name__)

# Slack's answers that no retry can change: the person or channel is gone, closed or wrong,
# or the workspace took its token back.
UNDELIVERABLE = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "is_archived",
        "not_in_channel",
        "user_disabled",
        "restricted_action",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "team_access_not_granted",
    }
)
# The blocks were refused; the plain text usually is not.
BLOCKS_REFUSED = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long"})
DEFAULT_RETRY_SECONDS = 30.0
NOT_INSTALLED = "pivotbot is not installed in this workspace any more"


def delivery_result(error: SlackApiError) -> DeliveryResult:
    """Map one refused call to what the deliverer should do next."""
    status = getattr(error.response, "status_code", 200)
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429 or code == "ratelimited":
        return RetryAfter(_retry_after(error), reason="rate limited", rate_limited=True)
    if code in UNDELIVERABLE:
        return Undeliverable(code)
    return RetryAfter(DEFAULT_RETRY_SECONDS, reason=code)


def _retry_after(error: SlackApiError) -> float:
    headers = getattr(error.response, "headers", None) or {}
    try:
        return max(float(headers.get("Retry-After", DEFAULT_RETRY_SECONDS)), 1.0)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_SECONDS


class SlackOutbox:
    def __init__(self, clients: SlackClients, tokens: BotTokens) -> None:
        self._clients = clients
        self._tokens = tokens

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        client = await self._client(user.tenant_id)
        if client is None:
            return Undeliverable(NOT_INSTALLED)
        try:
            opened = await client.conversations_open(users=user.user_id)
        except SlackApiError as error:
            return delivery_result(error)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return RetryAfter(DEFAULT_RETRY_SECONDS, reason=f"network: {exc}")
        return await self._post(client, str(opened["channel"]["id"]), None, reply)

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        if address.channel_id is None:
            if address.user_id is None:
                return Undeliverable("no channel or user to deliver to")
            person = ChatUser(address.platform, address.tenant_id, address.user_id, "")
            return await self.send_dm(person, reply)
        client = await self._client(address.tenant_id)
        if client is None:
            return Undeliverable(NOT_INSTALLED)
        return await self._post(client, address.channel_id, address.thread_id, reply)

    async def _client(self, team_id: str) -> AsyncWebClient | None:
        token = await self._tokens.for_team(team_id)
        return self._clients.web(token) if token else None

    async def _post(
        self, client: AsyncWebClient, channel: str, thread: str | None, reply: Reply
    ) -> DeliveryResult:
        rendered = message(reply)
        try:
            ts = await self._post_message(client, channel, thread, rendered)
        except SlackApiError as error:
            return delivery_result(error)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return RetryAfter(DEFAULT_RETRY_SECONDS, reason=f"network: {exc}")
        await upload_files(client, channel, thread, rendered)
        return Sent(f"{channel}:{ts}")

    async def _post_message(
        self, client: AsyncWebClient, channel: str, thread: str | None, rendered: SlackMessage
    ) -> str:
        try:
            answer = await client.chat_postMessage(
                channel=channel,
                thread_ts=thread,
                text=rendered.text,
                blocks=list(rendered.blocks) or None,
                unfurl_links=False,
            )
        except SlackApiError as error:
            if not rendered.blocks or error.response.get("error") not in BLOCKS_REFUSED:
                raise
            log.warning("blocks refused in %s (%s); sending text", channel, error)
            answer = await client.chat_postMessage(
                channel=channel, thread_ts=thread, text=rendered.text, unfurl_links=False
            )
        return str(answer["ts"])


async def upload_files(
    client: AsyncWebClient, channel: str, thread: str | None, rendered: SlackMessage
) -> list[str]:
    """Upload a message's files next to it; return a line per file that could not be sent.

    The message itself is already delivered, so a failed upload is reported, not retried.
    """
    problems: list[str] = []
    for upload in rendered.uploads:
        try:
            await client.files_upload_v2(
                channel=channel,
                thread_ts=thread,
                file=upload.content,
                filename=upload.filename,
                title=upload.title[:250] or upload.filename,
            )
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("upload of %s to %s failed: %s", upload.filename, channel, exc)
            problems.append(f"{upload.filename} could not be sent: {_reason(exc)}")
    return problems


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "refused by Slack")
    return "network error"
