"""The ``Outbox`` for Discord: DMs and channel posts, with every failure as a value.

The scheduler's deliverer decides what to do next from the result alone: ``RetryAfter`` for
rate limits and outages, ``Undeliverable`` for a member who closed their DMs, a user or
channel that is gone, or a channel the bot may not post in (which the admins then hear of).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
import discord
from sqlalchemy.exc import OperationalError

from adapters.discord_adapter.rendering import OutgoingMessage, Renderer
from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult, RetryAfter, Sent, Undeliverable

log = logging.getLogger(__name__)

# Discord's JSON error codes that mean "this will never work as it stands".
CANNOT_DM_USER = 50007
UNKNOWN_USER = 10013
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013

RATE_LIMITED_DEFAULT = 60.0
OUTAGE_RETRY = 30.0
BAD_TOKEN_RETRY = 600.0


class DiscordOutbox:
    def __init__(self, client: discord.Client, renderer: Renderer) -> None:
        self._client = client
        self._renderer = renderer

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        """``fetch_user`` → ``create_dm`` → ``send``; buttons carry the guild, as DMs have none."""
        if not user.user_id.isdigit():
            return Undeliverable(f"{user.user_id[:40]!r} is not a Discord user id")

        async def send() -> discord.Message:
            target = self._client.get_user(int(user.user_id))
            if target is None:
                target = await self._client.fetch_user(int(user.user_id))
            channel = await target.create_dm()
            message = await self._renderer.render(reply, user.tenant_id, in_dm=True)
            return await channel.send(**message.send_kwargs())

        return await deliver(send, f"DM to {user.user_id}")

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        target_id = address.thread_id or address.channel_id
        if target_id is None:
            return Undeliverable(
                "no channel to post in: set one with `/pivot cohort channel <name> <#channel>`"
            )
        if not target_id.isdigit():
            return Undeliverable(f"{target_id[:40]!r} is not a Discord channel id")

        async def send() -> discord.Message:
            channel = self._client.get_partial_messageable(int(target_id))
            message: OutgoingMessage = await self._renderer.render(
                reply, address.tenant_id, in_dm=False
            )
            return await channel.send(**message.send_kwargs())

        return await deliver(send, f"post to channel {target_id}")


async def deliver(send: Callable[[], Awaitable[discord.Message]], what: str) -> DeliveryResult:
    """Run one send and map Discord's answer to a ``DeliveryResult``."""
    try:
        message = await send()
    except discord.RateLimited as exc:
        return RetryAfter(exc.retry_after, f"Discord rate limit on {what}", rate_limited=True)
    except discord.HTTPException as exc:
        result = failure(exc, what)
        log.log(
            logging.WARNING if isinstance(result, RetryAfter) else logging.INFO,
            "%s: %s",
            what,
            result,
        )
        return result
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        log.warning("%s: Discord unreachable: %s", what, exc)
        return RetryAfter(OUTAGE_RETRY, f"Discord unreachable: {exc.__class__.__name__}")
    except OperationalError as exc:  # storing a long button's arguments
        log.warning("%s: database unavailable: %s", what, exc)
        return RetryAfter(OUTAGE_RETRY, "database unavailable")
    return Sent(str(message.id))


def failure(exc: discord.HTTPException, what: str) -> DeliveryResult:
    code = exc.code
    if exc.status == 429:
        return RetryAfter(_retry_after(exc), f"Discord rate limit on {what}", rate_limited=True)
    if code == CANNOT_DM_USER:
        return Undeliverable("the member's DMs are closed to pivotbot (Discord 50007)")
    if code == UNKNOWN_USER:
        return Undeliverable("Discord has no such user any more (10013)")
    if code == UNKNOWN_CHANNEL:
        return Undeliverable("the channel no longer exists (Discord 10003)")
    if code in (MISSING_ACCESS, MISSING_PERMISSIONS):
        return Undeliverable(
            "pivotbot may not post in the cohort channel: give it View Channel, Send Messages, "
            f"Embed Links and Attach Files there (Discord {code})"
        )
    if exc.status == 401:
        return RetryAfter(BAD_TOKEN_RETRY, "Discord rejected DISCORD_TOKEN (401)")
    if exc.status >= 500:
        return RetryAfter(OUTAGE_RETRY, f"Discord server error {exc.status}")
    if exc.status == 404:
        return Undeliverable(f"Discord: not found ({code or exc.status})")
    if exc.status == 403:
        return Undeliverable(f"Discord refused: {exc.text or exc.status} ({code})")
    return Undeliverable(f"Discord rejected the message: {exc.text or exc.status} ({code})")


def _retry_after(exc: discord.HTTPException) -> float:
    """A 429 that outlasted discord.py's own retries, or one from Cloudflare (no ``Via``)."""
    header = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        return max(float(header), 1.0) if header is not None else RATE_LIMITED_DEFAULT
    except ValueError:
        return RATE_LIMITED_DEFAULT
