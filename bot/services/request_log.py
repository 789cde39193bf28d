"""The request log's upkeep: a stored reply only needs to outlive the platform's retries."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import HandledRequest

# Slack retries within minutes and a Discord button can be pressed for as long as the message
# exists, but a press after a week is answered by the domain's own rules (an old quiz button
# says the quiz has moved on), so a week of replies is plenty.
KEEP_REPLIES = timedelta(days=7)


async def prune_handled_requests(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        delete(HandledRequest).where(HandledRequest.handled_at < now - KEEP_REPLIES)
    )
    return int(getattr(result, "rowcount", 0) or 0)
