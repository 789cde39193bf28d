"""What each cohort is due: the weekly leaderboard post in its channel, and its admins' notes.

Only the latest slot is ever planned. After downtime across a Friday the missed post still goes
out (catch-up), and an older one still waiting is skipped as stale when its next slot arrives.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Checkin, Cohort, CohortAdmin, Delivery, Member
from bot.messages import Reply
from bot.services.outbox import delivery_row
from bot.views.reminders import admin_digest_reply, no_channel_reply
from bot.views.weekly_post import weekly_leaderboard_post
from scheduler.timing import Slot, latest_slot


async def cohort_delivery_rows(
    session: AsyncSession, now: datetime, content: ContentLibrary
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    admins: dict[int, list[str]] = {}
    for cohort_id, user_id in await session.execute(
        select(CohortAdmin.cohort_id, CohortAdmin.user_id)
    ):
        admins.setdefault(cohort_id, []).append(user_id)
    planned = set(
        await session.scalars(
            select(Delivery.idempotency_key).where(
                Delivery.kind.in_(("leaderboard", "digest", "no-channel")),
                or_(Delivery.kind == "no-channel", Delivery.created_at >= now - timedelta(days=8)),
            )
        )
    )
    for cohort in await session.scalars(select(Cohort)):
        slot = latest_slot(
            now, cohort.leaderboard_weekday, cohort.leaderboard_time, cohort.timezone
        )
        if slot.at < cohort.created_at:
            continue
        if cohort.channel_id:
            if f"leaderboard:{cohort.id}:{slot.week}" not in planned:
                rows.append(await _leaderboard_row(session, cohort, slot, now, content))
        else:
            rows.extend(
                delivery_row(
                    tenant_id=cohort.tenant_id,
                    kind="no-channel",
                    key=f"nochannel:{cohort.id}:{admin}",
                    reply=no_channel_reply(cohort.name),
                    now=now,
                    user_id=admin,
                )
                for admin in admins.get(cohort.id, [])
                if f"nochannel:{cohort.id}:{admin}" not in planned
            )
        cohort_admins = [
            a
            for a in admins.get(cohort.id, [])
            if f"digest:{cohort.id}:{a}:{slot.week}" not in planned
        ]
        digest = await _digest(session, cohort, slot) if cohort_admins else None
        if digest is not None:
            rows.extend(
                delivery_row(
                    tenant_id=cohort.tenant_id,
                    kind="digest",
                    key=f"digest:{cohort.id}:{admin}:{slot.week}",
                    reply=digest,
                    now=now,
                    user_id=admin,
                    period=str(slot.week),
                    stale_after=slot.at + timedelta(days=7),
                )
                for admin in cohort_admins
            )
    return rows


async def _leaderboard_row(
    session: AsyncSession, cohort: Cohort, slot: Slot, now: datetime, content: ContentLibrary
) -> dict[str, Any]:
    """The boards as they stood at the slot's week, so a catch-up post shows its own week."""
    return delivery_row(
        tenant_id=cohort.tenant_id,
        kind="leaderboard",
        key=f"leaderboard:{cohort.id}:{slot.week}",
        reply=await weekly_leaderboard_post(session, cohort, now, content, week=slot.week),
        now=now,
        channel_id=cohort.channel_id,
        period=str(slot.week),
        stale_after=slot.at + timedelta(days=7),
    )


async def _digest(session: AsyncSession, cohort: Cohort, slot: Slot) -> Reply | None:
    """Quiet and unreachable members, named only to the cohort's admins."""
    in_cohort = select(Member.id).where(Member.cohort_id == cohort.id, Member.left_at.is_(None))
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
                Delivery.kind == "quiet",
                Delivery.status == "sent",
                or_(last.c.week.is_(None), Delivery.period > last.c.week),
            )
            .distinct()
            .order_by(Member.display_name)
        )
    )
    unreachable = [
        f"{member.display_name} ({member.dm_problem})"
        for member in await session.scalars(
            select(Member)
            .where(Member.id.in_(in_cohort), Member.dm_problem.is_not(None))
            .order_by(Member.display_name)
        )
    ]
    if not quiet and not unreachable:
        return None
    return admin_digest_reply(cohort.name, str(slot.week), quiet, unreachable)
