"""The request log: claiming a request once, and the upkeep that keeps the log small (a stored
reply only needs to outlive the platform's retries)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import HandledRequest
from bot.db.upsert import insert_ignore

# Slack retries within minutes and a Discord button can be pressed for as long as the message
# exists, but a press after a week is answered by the domain's own rules (an old quiz button
# says the quiz has moved on), so a week of replies is plenty.
KEEP_REPLIES = timedelta(days=7)


async def prune_handled_requests(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        delete(HandledRequest).where(HandledRequest.handled_at < now - KEEP_REPLIES)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def claim_request(
    session: AsyncSession, tenant_id: int, request_id: str, kind: str, user_id: str, now: datetime
) -> bool:
    """Claim ``request_id`` of this kind and user in this tenant's log: True the first time,
    False ever after.

    The claim is a row with a unique key, so it holds across restarts and across replicas:
    whoever claims second does nothing.
    """
    inserted = await insert_ignore(
        session,
        HandledRequest,
        [
            {
                "tenant_id": tenant_id,
                "request_id": request_id[:128],
                "user_id": user_id,
                "command": kind[:40],
                "reply": {},
                "handled_at": now,
            }
        ],
        ("tenant_id", "user_id", "command", "request_id"),
    )
    return inserted > 0
