"""Queue a DM or a channel post in the durable outbox; the scheduler's deliverer sends it.

Commands never send directly: a message is a row first, written in the same transaction as
the change that caused it, so a rollback also cancels the message and a retry cannot send it
twice (the idempotency key is unique).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Delivery
from bot.db.upsert import insert_ignore
from bot.messages import Reply
from bot.reply_codec import reply_to_dict

WAITING = ("pending", "retry")  # not sent yet: the first time, or again after a failure


async def cancel_pending(session: AsyncSession, tenant_id: int, reason: str) -> int:
    """Stop every message still waiting for this tenant; return how many were stopped.

    For a workspace that removed the app: its messages could never arrive, and retrying them
    would only knock on a closed door. The rows stay, with the reason, for operators.
    """
    result = await session.execute(
        update(Delivery)
        .where(Delivery.tenant_id == tenant_id, Delivery.status.in_(WAITING))
        .values(status="cancelled", last_error=reason, lease_owner=None, lease_expires_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def enqueue(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Add one delivery (built by :func:`delivery_row`) unless its key exists already;
    return whether it was added."""
    return await insert_ignore(session, Delivery, [row], ("idempotency_key",)) > 0


def delivery_row(
    *,
    tenant_id: int,
    kind: str,
    key: str,
    reply: Reply,
    now: datetime,
    member_id: int | None = None,
    user_id: str | None = None,
    channel_id: str | None = None,
    due_at: datetime | None = None,
    stale_after: datetime | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """The column values of one pending delivery; the planner inserts many at once."""
    if (user_id is None) == (channel_id is None):
        raise ValueError("a delivery goes to exactly one of a user or a channel")
    return {
        "tenant_id": tenant_id,
        "member_id": member_id,
        "kind": kind,
        "period": period,
        "idempotency_key": key,
        "target_user_id": user_id,
        "target_channel_id": channel_id,
        "payload": reply_to_dict(reply),
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": due_at or now,
        "stale_after": stale_after,
    }
