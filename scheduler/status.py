"""What ``pivotbot jobs status`` reports: the outbox by status, and when work next falls due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Delivery, Member
from bot.domain.deliveries import WAITING, DeliveryKind, DeliveryStatus
from scheduler.timing import next_slot


@dataclass(frozen=True)
class OutboxStatus:
    by_status: dict[DeliveryStatus, int]
    by_kind_waiting: dict[DeliveryKind, int]
    next_attempt: datetime | None
    next_nudge: datetime | None
    next_leaderboard: datetime | None
    now: datetime
    # Claimed by a sender and not yet recorded: in flight, or left by a sender that died,
    # until the last of their leases ends and another sender may take them.
    by_kind_held: dict[DeliveryKind, int] = field(default_factory=dict)
    held_until: datetime | None = None

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.by_status.items())) or "empty"
        waiting = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind_waiting.items())) or "none"
        return [
            f"outbox: {statuses}",
            f"waiting: {waiting}",
            f"held under a lease: {self._held()}",
            f"next retry or pending send: {_when(self.next_attempt)}",
            f"next weekly nudge: {_when(self.next_nudge)}",
            f"next leaderboard post: {_when(self.next_leaderboard)}",
        ]

    def _held(self) -> str:
        held = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind_held.items()))
        if not held or self.held_until is None:
            return "none"
        if self.held_until <= self.now:
            return f"{held}, lease ended {_when(self.held_until)}"
        return f"{held}, until {_when(self.held_until)}"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "none scheduled"


async def outbox_status(session: AsyncSession, now: datetime) -> OutboxStatus:
    statuses = await session.execute(
        select(Delivery.status, func.count()).group_by(Delivery.status)
    )
    kinds = await session.execute(
        select(Delivery.kind, func.count())
        .where(Delivery.status.in_(WAITING))
        .group_by(Delivery.kind)
    )
    by_status: dict[DeliveryStatus, int] = dict(statuses.all())
    by_kind: dict[DeliveryKind, int] = dict(kinds.all())
    held = await session.execute(
        select(
            Delivery.kind,
            func.count(),
            func.min(Delivery.lease_expires_at),
            func.max(Delivery.lease_expires_at),
        )
        .where(Delivery.status == DeliveryStatus.SENDING)
        .group_by(Delivery.kind)
    )
    by_kind_held: dict[DeliveryKind, int] = {}
    lease_ends: list[datetime] = []
    for kind, count, first_end, last_end in held:
        by_kind_held[kind] = count
        lease_ends.extend(end for end in (first_end, last_end) if end is not None)
    waiting_due = await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(Delivery.status.in_(WAITING))
    )
    # A held delivery is sent again when its lease ends, if its sender has not recorded it.
    next_attempt = min((m for m in (waiting_due, *lease_ends) if m is not None), default=None)
    members = await session.execute(
        select(Member.nudge_weekday, Member.nudge_time, Member.timezone)
        .where(Member.left_at.is_(None), Member.dms_enabled.is_(True))
        .distinct()
    )
    nudges = [next_slot(now, day, wall, tz).at for day, wall, tz in members]
    cohorts = await session.execute(
        select(Cohort.leaderboard_weekday, Cohort.leaderboard_time, Cohort.timezone).where(
            Cohort.channel_id.is_not(None)
        )
    )
    posts = [next_slot(now, day, wall, tz).at for day, wall, tz in cohorts]
    return OutboxStatus(
        by_status=by_status,
        by_kind_waiting=by_kind,
        next_attempt=next_attempt,
        next_nudge=min(nudges, default=None),
        next_leaderboard=min(posts, default=None),
        now=now,
        by_kind_held=by_kind_held,
        held_until=max(lease_ends, default=None),
    )


@dataclass(frozen=True)
class OutboxDepth:
    """What an operator watches: what waits in the outbox, and how late the latest of it is."""

    by_status: dict[DeliveryStatus, int]  # every status that is not final, zeros included
    oldest_due_seconds: float  # how long the longest-waiting due delivery has waited; 0 if none


async def outbox_depth(session: AsyncSession, now: datetime) -> OutboxDepth:
    """Two index scans over the waiting rows; the sent ones, however many, are not read."""
    open_statuses = (*WAITING, DeliveryStatus.SENDING)
    counts = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.status.in_(open_statuses))
        .group_by(Delivery.status)
    )
    by_status = dict.fromkeys(open_statuses, 0) | dict(counts.all())
    oldest = await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(
            Delivery.status.in_(open_statuses), Delivery.next_attempt_at <= now
        )
    )
    late = (now - oldest).total_seconds() if oldest is not None else 0.0
    return OutboxDepth(by_status, max(late, 0.0))
