"""Scheduler fixtures: the due jobs over the test database, with a recording outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.models import Delivery
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox


@pytest.fixture
def outbox() -> RecordingOutbox:
    return RecordingOutbox()


@pytest.fixture
def jobs(
    core: PivotCore, clock: ManualClock, content: ContentLibrary, outbox: RecordingOutbox
) -> DueJobs:
    return DueJobs(core.sessions, clock, content, {"console": outbox})


async def deliveries(core: PivotCore, kind: str | None = None) -> list[Delivery]:
    async with core.sessions() as session:
        query = select(Delivery).order_by(Delivery.id)
        if kind:
            query = query.where(Delivery.kind == kind)
        return list(await session.scalars(query))


async def run_hourly(
    jobs: DueJobs,
    clock: ManualClock,
    start: datetime,
    end: datetime,
    step: timedelta = timedelta(hours=1),
) -> None:
    """Run plan and deliver at every step, like a scheduler that never misses a beat."""
    clock.set(start)
    while clock.now() <= end:
        await jobs.run_due()
        clock.advance(step)


async def join_at(bot: BotDriver, when: datetime, name: str, tz: str) -> None:
    """Join cohort ``early`` (started on 5 January 2026) at ``when``."""
    bot.clock.set(when)
    await bot.say("/pivot cohort create early start 2026-01-05", as_="olga")
    reply = await bot.say(f"/pivot join early tz {tz}", as_=name)
    assert not reply.is_error, reply.text


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
