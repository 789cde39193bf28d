"""Nudges put straight into the outbox, for tests about delivering rather than planning."""

from __future__ import annotations

from datetime import datetime

from bot.core import PivotCore
from bot.domain.deliveries import DeliveryKey, DeliveryKind, PlannedDelivery
from bot.domain.weeks import IsoWeek
from bot.messages import Reply
from bot.services.deliveries import enqueue
from bot.services.tenancy import ensure_tenant


async def enqueue_nudges(
    core: PivotCore,
    count: int,
    now: datetime,
    *,
    platform: str = "console",
    tenant: str = "acme",
    user_prefix: str = "u",
    first: int = 0,
) -> None:
    """``count`` nudges due at ``now``, "hello 0" to user ``u0`` and on, in one workspace."""
    async with core.sessions() as session, session.begin():
        row = await ensure_tenant(session, platform, tenant, now)
        week = IsoWeek.of(now.date())
        nudges = [
            PlannedDelivery(
                DeliveryKey(DeliveryKind.NUDGE, i, week=week),
                row.id,
                Reply(text=f"hello {i}"),
                user_id=f"{user_prefix}{i}",
            )
            for i in range(first, first + count)
        ]
        await enqueue(session, nudges, now)
