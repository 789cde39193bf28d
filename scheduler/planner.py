"""Plan: find everything due at one instant and put it in the outbox, once.

Planning twice, or on two replicas at once, inserts nothing new: every row has a unique
idempotency key and goes in with ``ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.db.models import Delivery
from bot.db.upsert import insert_ignore
from bot.services.request_log import prune_handled_requests
from scheduler.cohort_plans import cohort_delivery_rows
from scheduler.member_plans import find_due_members, member_delivery_rows

INSERT_CHUNK = 500


@dataclass
class PlanCounts:
    by_kind: Counter[str] = field(default_factory=Counter)

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
        rows = await member_delivery_rows(session, due, now, content)
        rows += await cohort_delivery_rows(session, now, content)
        counts = await _insert_new(session, rows)
        await prune_handled_requests(session, now)
        return counts


async def _insert_new(session: AsyncSession, rows: list[dict[str, Any]]) -> PlanCounts:
    counts = PlanCounts()
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        existing = set(
            await session.scalars(
                select(Delivery.idempotency_key).where(
                    Delivery.idempotency_key.in_([r["idempotency_key"] for r in chunk])
                )
            )
        )
        fresh = [r for r in chunk if r["idempotency_key"] not in existing]
        await insert_ignore(session, Delivery, fresh, ("idempotency_key",))
        counts.by_kind.update(r["kind"] for r in fresh)
    return counts
