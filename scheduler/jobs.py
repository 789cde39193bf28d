"""The two jobs, plan and deliver, bound to one database, clock and set of outboxes.

``pivotbot jobs run-due``, the console's ``:due`` and the periodic scheduler all run these.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.ports import Clock, Outbox
from bot.telemetry import NoTelemetry, Telemetry
from scheduler.deliverer import Deliverer, DeliveryCounts
from scheduler.planner import PlanCounts, plan_due
from scheduler.send_budgets import SendBudgets

log = logging.getLogger(__name__)


@dataclass
class DueJobs:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentLibrary
    outboxes: Mapping[str, Outbox]
    budgets: SendBudgets = field(default_factory=lambda: SendBudgets({}))
    concurrency: int = 16
    lease: timedelta = timedelta(seconds=30)
    telemetry: Telemetry = field(default_factory=NoTelemetry)
    deliverer: Deliverer = field(init=False)
    _stopping: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.deliverer = Deliverer(
            self.sessions,
            self.clock,
            self.content,
            self.outboxes,
            self.budgets,
            concurrency=self.concurrency,
            lease=self.lease,
            telemetry=self.telemetry,
        )

    async def plan(self) -> PlanCounts:
        counts = await plan_due(
            self.sessions, self.clock.now(), self.content, keep_going=self._keep_going
        )
        if counts.total:
            log.info("planned %s", counts.describe())
        return counts

    async def deliver(self) -> DeliveryCounts:
        counts = await self.deliverer.run()
        if counts.describe() != "nothing to send":
            log.info("delivered: %s", counts.describe())
        return counts

    async def run_due(self) -> tuple[PlanCounts, DeliveryCounts]:
        return await self.plan(), await self.deliver()

    def stop(self) -> None:
        """Plan no further batch, finish the sends in flight and give the other claims back."""
        self._stopping = True
        self.deliverer.stop()

    def _keep_going(self) -> bool:
        return not self._stopping
