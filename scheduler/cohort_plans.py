"""What each cohort is due: the weekly leaderboard post in its channel, and its admins' notes.

Only the latest slot is ever planned. After downtime across a Friday the missed post still goes
out (catch-up), and an older one still waiting is skipped as stale when its next slot arrives.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import assert_never

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Checkin, Cohort, CohortAdmin, Delivery, Member
from bot.domain.deliveries import DeliveryKey, DeliveryKind, DeliveryStatus, PlannedDelivery
from bot.messages import Reply
from bot.services.deliveries import find_planned
from bot.services.struggles import stuck_members
from bot.views.reminders import admin_digest_reply, no_channel_reply
from bot.views.struggles import stuck_line
from bot.views.weekly_post import weekly_leaderboard_post
from scheduler.timing import Slot, latest_slot


async def cohort_deliveries(
    session: AsyncSession, now: datetime, content: ContentLibrary
) -> list[PlannedDelivery]:
    admins: dict[int, list[str]] = {}
    for cohort_id, user_id in await session.execute(
        select(CohortAdmin.cohort_id, CohortAdmin.user_id)
    ):
        admins.setdefault(cohort_id, []).append(user_id)
    due: list[tuple[Cohort, Slot, list[DeliveryKey]]] = []
    for cohort in await session.scalars(select(Cohort)):
        slot = latest_slot(
            now, cohort.leaderboard_weekday, cohort.leaderboard_time, cohort.timezone
        )
        if slot.at >= cohort.created_at:
            due.append((cohort, slot, _keys(cohort, slot, admins.get(cohort.id, []))))
    planned = await find_planned(session, [key for _, _, keys in due for key in keys])
    deliveries: list[PlannedDelivery] = []
    for cohort, slot, keys in due:
        new = [key for key in keys if key not in planned]
        wants_digest = any(key.kind is DeliveryKind.DIGEST for key in new)
        digest = await _digest(session, cohort, slot, content) if wants_digest else None
        for key in new:
            match key.kind:
                case DeliveryKind.LEADERBOARD:
                    # The boards as they stood at the slot's week: a catch-up shows its own.
                    post = await weekly_leaderboard_post(
                        session, cohort, now, content, week=slot.week
                    )
                    deliveries.append(
                        PlannedDelivery(
                            key,
                            cohort.tenant_id,
                            post,
                            channel_id=cohort.channel_id,
                            period=str(slot.week),
                            stale_after=slot.at + timedelta(days=7),
                        )
                    )
                case DeliveryKind.NO_CHANNEL:
                    reply = no_channel_reply(cohort.name)
                    deliveries.append(
                        PlannedDelivery(key, cohort.tenant_id, reply, user_id=key.admin)
                    )
                case DeliveryKind.DIGEST if digest is not None:
                    deliveries.append(
                        PlannedDelivery(
                            key,
                            cohort.tenant_id,
                            digest,
                            user_id=key.admin,
                            period=str(slot.week),
                            stale_after=slot.at + timedelta(days=7),
                        )
                    )
                case DeliveryKind.DIGEST:
                    pass  # nobody quiet, stuck or unreachable: no digest this week
                case (
                    DeliveryKind.NUDGE
                    | DeliveryKind.QUIET
                    | DeliveryKind.GATE
                    | DeliveryKind.MANAGER
                    | DeliveryKind.MANAGER_AGAIN
                    | DeliveryKind.ANNOUNCEMENT
                    | DeliveryKind.RECAP
                ):
                    raise ValueError(f"a {key.kind} is not planned for a cohort")
                case _:
                    assert_never(key.kind)
    return deliveries


def _keys(cohort: Cohort, slot: Slot, admins: list[str]) -> list[DeliveryKey]:
    """The cohort's post (or, with no channel, each admin's one note) and each admin's digest."""
    if cohort.channel_id:
        keys = [DeliveryKey(DeliveryKind.LEADERBOARD, cohort.id, week=slot.week)]
    else:
        keys = [DeliveryKey(DeliveryKind.NO_CHANNEL, cohort.id, admin=a) for a in admins]
    keys += [DeliveryKey(DeliveryKind.DIGEST, cohort.id, week=slot.week, admin=a) for a in admins]
    return keys


async def _digest(
    session: AsyncSession, cohort: Cohort, slot: Slot, content: ContentLibrary
) -> Reply | None:
    """Quiet, stuck and unreachable members, named only to the cohort's admins."""
    active = (
        Member.cohort_id == cohort.id,
        Member.left_at.is_(None),
        Member.graduated_at.is_(None),
    )
    in_cohort = select(Member.id).where(*active)
    last = (
        select(Checkin.member_id, func.max(Checkin.iso_week).label("week"))
        .where(Checkin.member_id.in_(in_cohort))
        .group_by(Checkin.member_id)
        .subquery()
    )
    quiet = list(
        await session.scalars(
            select(Member.display_name)
            .join(Delivery, Delivery.member_id == Member.id)
            .outerjoin(last, last.c.member_id == Member.id)
            .where(
                Member.id.in_(in_cohort),
                Delivery.kind == DeliveryKind.QUIET,
                Delivery.status == DeliveryStatus.SENT,
                or_(last.c.week.is_(None), Delivery.period > last.c.week),
            )
            .distinct()
            .order_by(Member.display_name)
        )
    )
    by_name = select(Member).where(*active).order_by(Member.display_name)
    members = list(await session.scalars(by_name))
    unreachable = [f"{m.display_name} ({m.dm_problem})" for m in members if m.dm_problem]
    roadmap = content.roadmap(cohort.roadmap_key)
    stuck = [stuck_line(s) for s in await stuck_members(session, members, roadmap, slot.week)]
    if not quiet and not unreachable and not stuck:
        return None
    return admin_digest_reply(cohort.name, str(slot.week), quiet, unreachable, stuck)
