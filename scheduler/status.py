"""What ``pivotbot jobs status`` reports: the outbox by status, and when work next falls due."""

from __future__ import annotations

from dataclasses import dataclass
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

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.by_status.items())) or "empty"
        waiting = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind_waiting.items())) or "none"
        return [
            f"outbox: {statuses}",
            f"waiting: {waiting}",
            f"next retry or pending send: {_when(self.next_attempt)}",
            f"next weekly nudge: {_when(self.next_nudge)}",
            f"next leaderboard post: {_when(self.next_leaderboard)}",
        ]


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
    by_status: dict[DeliveryStatus, int] = dict(statuses.tuples().all())
    by_kind: dict[DeliveryKind, int] = dict(kinds.tuples().all())
    next_attempt = await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(Delivery.status.in_(WAITING))
    )
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
    )
