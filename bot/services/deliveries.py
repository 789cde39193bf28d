"""The durable outbox's rows: queue planned messages, ask which are planned already, and stop
a tenant's waiting ones. The scheduler's deliverer sends them.

Commands never send directly: a message is a row first, written in the same transaction as
the change that caused it, so a rollback also cancels the message and a retry cannot send it
twice (the idempotency key is unique).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Delivery
from bot.db.upsert import insert_new
from bot.domain.deliveries import (
    WAITING,
    DeliveryKey,
    DeliveryKind,
    DeliveryStatus,
    PlannedDelivery,
    cohort_prefixes,
)
from bot.reply_codec import reply_to_dict

LOOKUP_CHUNK = 500  # keys per query, well inside every driver's limit on bound parameters


async def enqueue(
    session: AsyncSession, deliveries: Sequence[PlannedDelivery], now: datetime
) -> list[PlannedDelivery]:
    """Add each delivery whose key is new; return those added.

    Racing planners (two replicas, a retried request) then agree: each message is added
    once, and each added message is counted once.
    """
    rows = [_row(delivery, now) for delivery in deliveries]
    added = set(await insert_new(session, Delivery, rows, ("idempotency_key",), "idempotency_key"))
    fresh: list[PlannedDelivery] = []
    for delivery in deliveries:
        if delivery.key.text in added:
            added.discard(delivery.key.text)  # a key given twice was added once
            fresh.append(delivery)
    return fresh


async def find_planned(
    session: AsyncSession, keys: Collection[DeliveryKey]
) -> dict[DeliveryKey, str | None]:
    """Which of these messages the outbox holds already, in any status, each with the period
    it was planned for. Every "already planned?" question is asked here."""
    by_text = {key.text: key for key in keys}
    texts = list(by_text)
    found: dict[DeliveryKey, str | None] = {}
    for start in range(0, len(texts), LOOKUP_CHUNK):
        rows = await session.execute(
            select(Delivery.idempotency_key, Delivery.period).where(
                Delivery.idempotency_key.in_(texts[start : start + LOOKUP_CHUNK])
            )
        )
        found.update((by_text[text], period) for text, period in rows)
    return found


async def cancel_pending(session: AsyncSession, tenant_id: int, reason: str) -> int:
    """Stop every message still waiting for this tenant; return how many were stopped.

    For a workspace that removed the app: its messages could never arrive, and retrying them
    would only knock on a closed door. The rows stay, with the reason, for operators.
    """
    return await cancel_waiting(session, Delivery.tenant_id == tenant_id, reason)


async def cancel_waiting(session: AsyncSession, which: ColumnElement[bool], reason: str) -> int:
    """Stop the waiting messages ``which`` selects, keeping their rows with the reason."""
    result = await session.execute(
        update(Delivery)
        .where(which, Delivery.status.in_(WAITING))
        .values(
            status=DeliveryStatus.CANCELLED,
            last_error=reason,
            lease_owner=None,
            lease_expires_at=None,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def about_cohort(cohort_id: int, member_ids: Select[int]) -> ColumnElement[bool]:
    """The messages about one cohort: its own posts and admin notes, and its members'."""
    own = [
        Delivery.idempotency_key.startswith(p, autoescape=True) for p in cohort_prefixes(cohort_id)
    ]
    return or_(Delivery.member_id.in_(member_ids), *own)


async def cancel_waiting_reminders(
    session: AsyncSession, member_id: int, kinds: Collection[DeliveryKind], reason: str
) -> int:
    """Stop a member's waiting messages of these kinds; return how many were stopped.

    For a member whose plan just ended: a nudge planned an hour before graduation must not
    arrive after it.
    """
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.member_id == member_id,
            Delivery.kind.in_(list(kinds)),
            Delivery.status.in_(WAITING),
        )
        .values(status=DeliveryStatus.CANCELLED, last_error=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _row(delivery: PlannedDelivery, now: datetime) -> dict[str, Any]:
    return {
        "tenant_id": delivery.tenant_id,
        "member_id": delivery.member_id,
        "kind": delivery.kind,
        "period": delivery.period,
        "idempotency_key": delivery.key.text,
        "target_user_id": delivery.user_id,
        "target_channel_id": delivery.channel_id,
        "cohort_id": delivery.cohort_id,
        "payload": _payload(delivery),
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "stale_after": delivery.stale_after,
    }


def _payload(delivery: PlannedDelivery) -> dict[str, Any]:
    """The reply as planned; for a kind rendered as it is sent, only the ids it may name."""
    if delivery.reply is not None:
        return reply_to_dict(delivery.reply)
    return {} if delivery.named is None else {"members": delivery.named}
