"""Slack retries an event it thinks we missed (``X-Slack-Retry-Num``); do its work only once.

Each event's id is claimed in the request log before its work runs. The claim is a row with a
unique key, so it holds across restarts and across replicas behind one URL: a retry that
finds the claim taken does nothing, and a retry for an event we never saw does the work.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import HandledRequest
from bot.db.upsert import insert_ignore
from bot.ports import Clock
from bot.services.tenancy import ensure_tenant

PLATFORM = "slack"


async def claim_event(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    team_id: str,
    event_id: str,
    event_type: str,
    user_id: str = "",
) -> bool:
    """True the first time this event id is seen in this workspace, False ever after."""
    now = clock.now()
    async with sessions() as session, session.begin():
        tenant = await ensure_tenant(session, PLATFORM, team_id, now)
        inserted = await insert_ignore(
            session,
            HandledRequest,
            [
                {
                    "tenant_id": tenant.id,
                    "request_id": f"event:{event_id}"[:128],
                    "user_id": user_id,
                    "command": event_type[:40],
                    "reply": {},
                    "handled_at": now,
                }
            ],
            ("tenant_id", "request_id"),
        )
    return inserted > 0
