"""Plan: find everything due at one instant and put it in the outbox, once.

Planning twice, or on two replicas at once, inserts nothing new: every row has a unique
idempotency key and goes in with ``ON CONFLICT DO NOTHING``.

Members are planned in batches of consecutive ids, each batch in its own transaction, so a
plan's memory stays flat however many members there are, and the deliverer can start on the
first batch while the next is planned. A plan cut short (a stop, a crash) leaves whole batches
planned, and the next plan finds the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.db.models import Member
from bot.domain.deliveries import DeliveryKind
from bot.services.deliveries import enqueue
from bot.services.request_log import prune_handled_requests
from scheduler.cohort_plans import cohort_deliveries
from scheduler.due_members import find_due_members
from scheduler.member_deliveries import member_deliveries

# Small enough that one batch's work never holds the event loop for long: commands, sends
# and lease renewals in the same process wait for it.
MEMBER_BATCH = 250


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
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    content: ContentLibrary,
    *,
    batch: int = MEMBER_BATCH,
    keep_going: Callable[[], bool] = lambda: True,
) -> PlanCounts:
    counts = PlanCounts()
    start = 0
    while keep_going():
        async with sessions() as session, session.begin():
            ids = await _next_ids(session, start, batch)
            if not ids:
                break
            window = range(start, ids[-1] + 1)
            due = await find_due_members(session, now, content, window)
            added = await enqueue(session, await member_deliveries(session, due, now, content), now)
        counts.by_kind.update(delivery.kind for delivery in added)
        start = window.stop
    if keep_going():
        async with sessions() as session, session.begin():
            added = await enqueue(session, await cohort_deliveries(session, now, content), now)
            await prune_handled_requests(session, now)
        counts.by_kind.update(delivery.kind for delivery in added)
    return counts


async def _next_ids(session: AsyncSession, start: int, batch: int) -> list[int]:
    """The next ``batch`` member ids from ``start`` on: one index range, never an offset."""
    return list(
        await session.scalars(
            select(Member.id).where(Member.id >= start).order_by(Member.id).limit(batch)
        )
    )
