"""APScheduler only wakes the process; the database says what is due.

Two periodic jobs with fixed ids: plan every minute and deliver every five seconds, with
deliver kicked at once after a plan that found work. No per-member job ever lives in
APScheduler, so a restart or a second replica loses and duplicates nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.jobs import DueJobs

log = logging.getLogger(__name__)

PLAN_JOB = "pivotbot-plan"
DELIVER_JOB = "pivotbot-deliver"


class SchedulerRuntime:
    def __init__(self, jobs: DueJobs, plan_every: float = 60, deliver_every: float = 5) -> None:
        self.jobs = jobs
        self._plan_every = plan_every
        self._deliver_every = deliver_every
        self._scheduler: AsyncIOScheduler | None = None
        self._plan_lock = asyncio.Lock()
        self._deliver_lock = asyncio.Lock()
        self._stopping = False

    def start(self) -> None:
        """Start inside the running event loop; the first plan runs at once (catch-up)."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        now = datetime.now(UTC)
        common = {"replace_existing": True, "max_instances": 1, "coalesce": True}
        scheduler.add_job(
            self.plan,
            "interval",
            seconds=self._plan_every,
            id=PLAN_JOB,
            next_run_time=now,
            misfire_grace_time=int(self._plan_every),
            **common,
        )
        scheduler.add_job(
            self.deliver,
            "interval",
            seconds=self._deliver_every,
            id=DELIVER_JOB,
            next_run_time=now,
            misfire_grace_time=int(self._deliver_every * 2),
            **common,
        )
        scheduler.start()
        self._scheduler = scheduler

    async def plan(self) -> None:
        if self._stopping or self._plan_lock.locked():
            return
        async with self._plan_lock:
            try:
                counts = await self.jobs.plan()
            except Exception:
                log.exception("planning failed; the next run will try again")
                return
        if counts.total and self._scheduler is not None:
            self._scheduler.modify_job(DELIVER_JOB, next_run_time=datetime.now(UTC))

    async def deliver(self) -> None:
        if self._stopping or self._deliver_lock.locked():
            return
        async with self._deliver_lock:
            try:
                await self.jobs.deliver()
            except Exception:
                log.exception("delivering failed; the next run will try again")

    async def stop(self) -> None:
        """Stop waking up, let in-flight sends finish and give back claims not yet started,
        so no lease is left to expire.

        The jobs finish before APScheduler shuts down, so it never has to cancel one.
        """
        self._stopping = True
        if self._scheduler is not None:
            self._scheduler.pause()
        self.jobs.stop()
        async with self._plan_lock, self._deliver_lock:
            pass
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
