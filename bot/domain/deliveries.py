"""What the outbox holds, as typed values: the kinds of message, their statuses, and the key
that makes each message unique.

Kinds and statuses are ``StrEnum`` members, so the stored values are the same plain strings
they always were. The idempotency key is written by :func:`idempotency_key` alone: every
database already holds keys in these formats, and a format that changed would plan each
message it names a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import assert_never

from bot.domain.weeks import IsoWeek
from bot.messages import Reply


class DeliveryKind(StrEnum):
    NUDGE = "nudge"  # the weekly check-in reminder
    QUIET = "quiet"  # the one gentle note after nudges went unanswered
    GATE = "gate"  # an invitation to the phase's gate quiz
    MANAGER = "manager"  # the month-3 prompt to talk to one's manager
    MANAGER_AGAIN = "manager-again"  # the month-4 prompt after "ask me later"
    LEADERBOARD = "leaderboard"  # the weekly post in the cohort's channel
    DIGEST = "digest"  # quiet and unreachable members, for the cohort's admins
    NO_CHANNEL = "no-channel"  # tells admins once that the cohort has no channel to post in
    ANNOUNCEMENT = "announcement"  # a member moved on to the next phase
    RECAP = "recap"  # a month of the plan in numbers, sent instead of that week's nudge


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed under a lease
    RETRY = "retry"  # failed for now; tried again at ``next_attempt_at``
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # closed DMs, a user gone: never retried
    DEAD = "dead"  # retried until the attempts ran out
    SKIPPED_STALE = "skipped_stale"  # its period passed before it could be sent
    CANCELLED = "cancelled"  # its workspace removed the app
    WITHDRAWN = "withdrawn"  # nothing left to say by the time it went: see ``reply_at_send``


# Not sent yet: the first time, or again after a failure.
WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRY)

# Messages that name other members (the weekly board, the admins' digest of quiet members):
# planning stores what to render them from, their cohort and period, and every attempt to
# send renders them afresh, so whoever hid or deleted their data meanwhile is not named.
RENDERED_AT_SEND = frozenset({DeliveryKind.LEADERBOARD, DeliveryKind.DIGEST})
# The weekly message of a member: one of these at most per member and week.
WEEKLY = (DeliveryKind.NUDGE, DeliveryKind.QUIET, DeliveryKind.RECAP)
# What a plan sends its member; none of it once the plan is over.
PLAN_REMINDERS = (*WEEKLY, DeliveryKind.GATE, DeliveryKind.MANAGER, DeliveryKind.MANAGER_AGAIN)


@dataclass(frozen=True)
class DeliveryKey:
    """Which message this is, e.g. member 42's nudge for 2026-W48.

    Planning the same message twice gives an equal key, so the outbox keeps one. ``subject``
    is the member the message is about, or the cohort for leaderboard posts, digests and
    no-channel notes. The other parts are set for the kinds whose key holds them. Keys are
    equal when their stored text is, which also keeps hashing cheap for planners that look
    up tens of thousands of them.
    """

    kind: DeliveryKind = field(compare=False)
    subject: int = field(compare=False)
    week: IsoWeek | None = field(default=None, compare=False)
    admin: str | None = field(default=None, compare=False)  # the admin a digest or note goes to
    phase: int | None = field(default=None, compare=False)  # the gate's, or the phase passed
    invite: int | None = field(default=None, compare=False)  # which gate invitation, from 1
    month: int | None = field(default=None, compare=False)  # the plan month a recap covers
    text: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", idempotency_key(self))


def idempotency_key(key: DeliveryKey) -> str:
    """The unique key stored with the delivery; a part the kind needs must be given."""
    kind, subject = key.kind, key.subject
    match kind:
        case DeliveryKind.NUDGE | DeliveryKind.QUIET | DeliveryKind.LEADERBOARD:
            return f"{kind}:{subject}:{_part(key.week, kind)}"
        case DeliveryKind.GATE:
            return f"gate:{subject}:{_part(key.phase, kind)}:{_part(key.invite, kind)}"
        case DeliveryKind.MANAGER:
            return f"manager:{subject}:ask"
        case DeliveryKind.MANAGER_AGAIN:
            return f"manager:{subject}:again"
        case DeliveryKind.DIGEST:
            return f"digest:{subject}:{_part(key.admin, kind)}:{_part(key.week, kind)}"
        case DeliveryKind.NO_CHANNEL:
            return f"nochannel:{subject}:{_part(key.admin, kind)}"
        case DeliveryKind.ANNOUNCEMENT:
            return f"advance:{subject}:{_part(key.phase, kind)}"
        case DeliveryKind.RECAP:
            return f"recap:{subject}:{_part(key.month, kind)}"
        case _:
            assert_never(kind)


def cohort_prefixes(cohort_id: int) -> tuple[str, ...]:
    """How the keys of a cohort's own messages begin (its posts, digests and no-channel
    notes), as :func:`idempotency_key` writes them: ``<kind>:<cohort>:``."""
    return (f"leaderboard:{cohort_id}:", f"digest:{cohort_id}:", f"nochannel:{cohort_id}:")


def _part(value: object | None, kind: DeliveryKind) -> object:
    if value is None:
        raise ValueError(f"a {kind} delivery's key is missing a part")
    return value


@dataclass(frozen=True)
class PlannedDelivery:
    """One message ready for the outbox: which it is, where it goes and what it says.

    It goes to exactly one of a user (a DM) or a channel. ``member_id`` ties it to the member
    it is about, so forgetting them removes it; ``period`` is the week or plan month it is
    for; after ``stale_after`` it is no longer worth sending. A kind rendered as it is sent
    has no ``reply`` but its ``cohort_id`` and ``period``, which are what it is rendered from.
    """

    key: DeliveryKey
    tenant_id: int
    reply: Reply | None
    user_id: str | None = None
    channel_id: str | None = None
    member_id: int | None = None
    period: str | None = None
    stale_after: datetime | None = None
    cohort_id: int | None = None
    # For a kind rendered as it is sent: the members it may name, by role, as ids alone.
    named: dict[str, list[int]] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.channel_id is None):
            raise ValueError("a delivery goes to exactly one of a user or a channel")
        if self.kind in RENDERED_AT_SEND:
            if self.reply is not None or self.cohort_id is None or self.period is None:
                raise ValueError(f"a {self.kind} is rendered as it is sent, from cohort and period")
        elif self.reply is None:
            raise ValueError(f"a {self.kind} delivery needs its reply")

    @property
    def kind(self) -> DeliveryKind:
        return self.key.kind
