"""Leases, as an operator sees them: a lost one is reported (and only a lost one), and what a
crashed sender still holds shows in ``jobs status`` with the time its lease ends."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import update

from app import jobs_commands
from app.cli import parse_now
from bot.clock import ManualClock
from bot.config import Settings
from bot.core import PivotCore
from bot.db.models import Delivery
from bot.domain.deliveries import DeliveryStatus
from scheduler.deliverer import Deliverer
from scheduler.delivery_records import Outcome, OutcomeWriter
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries
from tests.support.queued_dms import enqueue_nudges

LOST = "lost before"


async def _lease_all(core: PivotCore, owner: str, minutes: int = 2) -> None:
    """What a sender that claimed every row and then died leaves behind."""
    until = core.clock.now() + timedelta(minutes=minutes)
    async with core.sessions() as session, session.begin():
        await session.execute(
            update(Delivery).values(
                status=DeliveryStatus.SENDING, lease_owner=owner, lease_expires_at=until
            )
        )


async def test_recording_outcomes_reports_no_lost_lease_when_none_was_lost(
    core: PivotCore, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    await enqueue_nudges(core, 30, core.clock.now())
    outbox = RecordingOutbox()
    with caplog.at_level(logging.WARNING):
        counts = await Deliverer(core.sessions, clock, core.content, {"console": outbox}).run()
    assert counts.sent == 30
    assert LOST not in caplog.text


async def test_a_lease_taken_over_by_another_sender_is_counted_and_left_to_it(
    core: PivotCore, caplog: pytest.LogCaptureFixture
) -> None:
    await enqueue_nudges(core, 3, core.clock.now())
    await _lease_all(core, "first")
    rows = await deliveries(core)
    async with core.sessions() as session, session.begin():
        await session.execute(
            update(Delivery).where(Delivery.id == rows[0].id).values(lease_owner="second")
        )
    writer = OutcomeWriter(core.sessions, "first")
    writer.start()
    for row in rows:
        writer.put(Outcome(row.id, {"status": DeliveryStatus.SENT}))
    with caplog.at_level(logging.WARNING):
        await writer.close()
    assert "1 delivery lease lost before its outcome was recorded" in caplog.text
    after = {d.id: (d.status, d.lease_owner) for d in await deliveries(core)}
    assert after[rows[0].id] == (DeliveryStatus.SENDING, "second")
    assert after[rows[1].id] == (DeliveryStatus.SENT, None)
    assert after[rows[2].id] == (DeliveryStatus.SENT, None)


async def test_jobs_status_shows_deliveries_held_under_a_lease_and_when_it_ends(
    core: PivotCore,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await enqueue_nudges(core, 4, core.clock.now())
    await _lease_all(core, "crashed-sender")
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    assert await jobs_commands.status(settings, parse_now("2026-11-30T09:01")) == 0
    out = capsys.readouterr().out
    assert "held under a lease: 4 nudge, until 2026-11-30 09:02 UTC" in out
    assert "next retry or pending send: 2026-11-30 09:02 UTC" in out
    core.clock.advance(timedelta(minutes=5))
    assert await jobs_commands.status(settings, core.clock.now()) == 0
    later = capsys.readouterr().out
    assert "held under a lease: 4 nudge, lease ended 2026-11-30 09:02 UTC" in later
