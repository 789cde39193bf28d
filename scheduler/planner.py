"""Plan: find everything due at one instant and put it in the outbox, once.

Planning twice, or on two replicas at once, inserts nothing new: every row has a unique
idempotency key and goes in with ``ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.domain.deliveries import DeliveryKind
from bot.services.deliveries import enqueue
from bot.services.request_log import prune_handled_requests
from scheduler.cohort_plans import cohort_deliveries
from scheduler.due_members import find_due_members
from scheduler.member_deliveries import member_deliveries


@dataclass
class PlanCounts:
    by_kind: Counter[DeliveryKind] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def describe(self) -> str:
        if not self.total:
            return "nothing new is due"
        return ", ".join(f"{count} {kind}" for kind, count in sorted(self.by_kind.items()))


async def plan_due(
    sessions: async_sessionmaker[AsyncSession], now: datetime, content: ContentLibrary
) -> PlanCounts:
    async with sessions() as session, session.begin():
        due = await find_due_members(session, now, content)
        planned = await member_deliveries(session, due, now, content)
        planned += await cohort_deliveries(session, now, content)
        added = await enqueue(session, planned, now)
        await prune_handled_requests(session, now)
        return PlanCounts(Counter(delivery.kind for delivery in added))
