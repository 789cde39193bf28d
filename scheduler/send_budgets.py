"""Send-rate caps per tenant and per platform, shared by every replica through the database.

Each cap is a budget row (a platform's, or one tenant's on it) holding the moment its next
send may go. A send pushes that moment on by ``1 / rate``; after a quiet spell a burst of
sends may go at once (the generic cell rate algorithm, with the state in one column).

The deliverer spends from the budgets as it claims: it claims only what fits under every cap
now, so a claimed delivery is sent at once instead of waiting out a cap under its lease, and
a replica never sends faster because another replica is sending too. The rows are locked for
the length of one claim, which is short; the budgets stay shared on SQLite too, where one
process's claims already take turns.

These caps pace real API calls, so they run on the wall clock, not the simulated one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SendBudget
from bot.db.upsert import insert_ignore

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # a new budget is ready, with its whole burst


@dataclass(frozen=True)
class RateCap:
    per_tenant: float  # messages per second in one workspace or guild
    per_platform: float  # messages per second for the whole bot on that platform


def burst(rate: float) -> float:
    """How many sends may go at once after a quiet spell: a quarter of a second's worth, but
    at least five, never more than the rate allows in a second, and never below one."""
    return max(1.0, min(rate, max(5.0, rate / 4)))


@dataclass(frozen=True)
class Wanted:
    """A delivery that would like to be claimed, and whose budgets it spends."""

    delivery_id: int
    platform: str
    tenant_id: int


def tenant_scope(tenant_id: int) -> str:
    return f"tenant:{tenant_id}"


@dataclass(frozen=True)
class _Budget:
    rate: float
    ready_at: datetime

    def allowance(self, now: datetime) -> int:
        """How many sends may go now."""
        start = self.start(now)
        if start > now:
            return 0
        return int((now - start).total_seconds() * self.rate + 1e-9) + 1

    def start(self, now: datetime) -> datetime:
        """Unused budget builds up to one burst, no further."""
        tolerance = timedelta(seconds=(burst(self.rate) - 1) / self.rate)
        return max(self.ready_at, now - tolerance)

    def after(self, now: datetime, sends: int) -> datetime:
        return self.start(now) + timedelta(seconds=sends / self.rate)


class SendBudgets:
    def __init__(self, caps: Mapping[str, RateCap]) -> None:
        self.caps = dict(caps)

    def spent_tenants(self, now: datetime) -> Select[Any]:
        """The tenants whose budget is spent for now: not worth claiming for."""
        return select(SendBudget.tenant_id).where(
            SendBudget.tenant_id.is_not(None), SendBudget.ready_at > now
        )

    async def spent_platforms(
        self, session: AsyncSession, platforms: Sequence[str], now: datetime
    ) -> set[str]:
        capped = [p for p in platforms if p in self.caps]
        if not capped:
            return set()
        rows = await session.scalars(
            select(SendBudget.platform).where(
                SendBudget.scope.in_(capped), SendBudget.ready_at > now
            )
        )
        return set(rows)

    async def next_ready(self, session: AsyncSession, now: datetime) -> tuple[str, float] | None:
        """The platform whose spent budget is ready first, and the seconds until then."""
        row = (
            await session.execute(
                select(SendBudget.platform, SendBudget.ready_at)
                .where(SendBudget.ready_at > now)
                .order_by(SendBudget.ready_at)
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        return row[0], (row[1] - now).total_seconds()

    async def spend(
        self, session: AsyncSession, wanted: Sequence[Wanted], now: datetime
    ) -> list[int]:
        """The deliveries among ``wanted`` that fit under every cap now, in their order; the
        sends they will make are charged to the budgets in the same transaction."""
        capped = [w for w in wanted if w.platform in self.caps]
        if not capped:
            return [w.delivery_id for w in wanted]
        rates = {w.platform: self.caps[w.platform].per_platform for w in capped}
        rates |= {tenant_scope(w.tenant_id): self.caps[w.platform].per_tenant for w in capped}
        platforms = {tenant_scope(w.tenant_id): w.platform for w in capped}
        platforms |= {w.platform: w.platform for w in capped}
        tenants = {tenant_scope(w.tenant_id): w.tenant_id for w in capped}
        ready = await self._lock(session, platforms, tenants)
        budgets = {scope: _Budget(rate, ready[scope]) for scope, rate in rates.items()}
        left = {scope: budget.allowance(now) for scope, budget in budgets.items()}
        taken: Counter[str] = Counter()
        chosen: list[int] = []
        for item in wanted:
            if item.platform not in self.caps:
                chosen.append(item.delivery_id)
                continue
            scopes = (item.platform, tenant_scope(item.tenant_id))
            if all(taken[scope] < left[scope] for scope in scopes):
                taken.update(scopes)
                chosen.append(item.delivery_id)
        if taken:
            table = SendBudget.__table__
            assert isinstance(table, Table)
            await session.execute(
                table.update()
                .where(table.c.scope == bindparam("_scope"))
                .values(ready_at=bindparam("_ready_at")),
                [
                    {"_scope": scope, "_ready_at": budgets[scope].after(now, count)}
                    for scope, count in sorted(taken.items())
                ],
            )
        return chosen

    async def _lock(
        self, session: AsyncSession, platforms: Mapping[str, str], tenants: Mapping[str, int]
    ) -> dict[str, datetime]:
        """Each scope's budget, locked until the claim commits (always in the same order, so
        two claims never wait for each other in a circle); made on first use."""
        scopes = sorted(platforms)
        query = (
            select(SendBudget.scope, SendBudget.ready_at)
            .where(SendBudget.scope.in_(scopes))
            .order_by(SendBudget.scope)
            .with_for_update()
        )
        ready: dict[str, datetime] = dict((await session.execute(query)).all())
        missing = [scope for scope in scopes if scope not in ready]
        if missing:
            rows = [
                {
                    "scope": scope,
                    "platform": platforms[scope],
                    "tenant_id": tenants.get(scope),
                    "ready_at": LONG_AGO,
                }
                for scope in missing
            ]
            await insert_ignore(session, SendBudget, rows, ("scope",))
            ready = dict((await session.execute(query)).all())
        return ready
