"""The two jobs, plan and deliver, bound to one database, clock and set of outboxes.

``pivotbot jobs run-due``, the console's ``:due`` and the periodic scheduler all run these.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.ports import Clock, Outbox
from scheduler.deliverer import Deliverer, DeliveryCounts
from scheduler.planner import PlanCounts, plan_due
from scheduler.rate_limits import SendLimiter

log = logging.getLogger(__name__)


@dataclass
class DueJobs:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentLibrary
    outboxes: Mapping[str, Outbox]
    limiter: SendLimiter = field(default_factory=lambda: SendLimiter({}))
    concurrency: int = 16
    deliverer: Deliverer = field(init=False)

    def __post_init__(self) -> None:
        self.deliverer = Deliverer(
            self.sessions,
            self.clock,
            self.content,
            self.outboxes,
            self.limiter,
            concurrency=self.concurrency,
        )

    async def plan(self) -> PlanCounts:
        counts = await plan_due(self.sessions, self.clock.now(), self.content)
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
