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
from bot.domain.deliveries import DeliveryKey, DeliveryKind, DeliveryStatus, PlannedDelivery
from bot.domain.weeks import IsoWeek
from bot.messages import Reply
from bot.services.deliveries import enqueue
from bot.services.tenancy import ensure_tenant
from scheduler.deliverer import Deliverer
from scheduler.delivery_records import Outcome, OutcomeWriter
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries

LOST = "lost before"


async def _enqueue_dms(core: PivotCore, count: int) -> None:
    now = core.clock.now()
    async with core.sessions() as session, session.begin():
        tenant = await ensure_tenant(session, "console", "acme", now)
        week = IsoWeek.of(now.date())
        await enqueue(
            session,
            [
                PlannedDelivery(
                    DeliveryKey(DeliveryKind.NUDGE, i, week=week),
                    tenant.id,
                    Reply(text=f"hello {i}"),
                    user_id=f"u{i}",
                )
                for i in range(count)
            ],
            now,
        )


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
    await _enqueue_dms(core, 30)
    outbox = RecordingOutbox()
    with caplog.at_level(logging.WARNING):
        counts = await Deliverer(core.sessions, clock, core.content, {"console": outbox}).run()
    assert counts.sent == 30
    assert LOST not in caplog.text


async def test_a_lease_taken_over_by_another_sender_is_counted_and_left_to_it(
    core: PivotCore, caplog: pytest.LogCaptureFixture
) -> None:
    await _enqueue_dms(core, 3)
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
    await _enqueue_dms(core, 4)
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
