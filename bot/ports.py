"""The two things the core needs from the outside world: the time, and a way to send.

Both are protocols so that tests, the console (``:advance 1w``) and the scheduler can each
supply their own, and so that the core never imports a platform SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.messages import Address, ChatUser, Reply


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime; every rule that depends on "now" asks this."""
        ...


@dataclass(frozen=True)
class Sent:
    platform_message_id: str


@dataclass(frozen=True)
class RetryAfter:
    seconds: float
    reason: str = "rate limited"
    rate_limited: bool = False  # the platform asked us to slow down (a 429), not an outage


@dataclass(frozen=True)
class Undeliverable:
    reason: str


DeliveryResult = Sent | RetryAfter | Undeliverable


class Outbox(Protocol):
    """Sends on one platform. Failures are values, so the deliverer can tell a 429 from a
    member who closed their DMs."""

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult: ...

    async def post(self, address: Address, reply: Reply) -> DeliveryResult: ...


@dataclass(frozen=True)
class ChannelRef:
    id: str
    name: str


class Directory(Protocol):
    """What an adapter can tell the core about its platform, asked only when it matters."""

    async def channel_problem(self, tenant_id: str, channel_id: str) -> str | None:
        """Why the bot could not post in this channel (not invited, archived...), or None."""
        ...

    async def find_channel(self, tenant_id: str, written: str) -> ChannelRef | None:
        """The channel a member named as plain text (``pivot-spring``, or a bare id), or None.

        Mentions picked from the platform's autocomplete already carry the id; a name typed by
        hand does not, and only the platform can say which channel it means.
        """
        ...

    async def user_name(self, tenant_id: str, user_id: str) -> str | None:
        """How the platform names this person, or None when it cannot say."""
        ...

    async def is_admin(self, tenant_id: str, user_id: str) -> bool | None:
        """Whether the platform makes this person an admin (a workspace admin, Manage Server),
        or None when it cannot say; a web page asks again at every view."""
        ...
