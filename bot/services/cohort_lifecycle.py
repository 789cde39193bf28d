"""The end of a cohort: archiving it, then deleting it for good.

Archiving keeps everything and stops everything: its members leave it with their history
intact (free to join another cohort, where it comes along), and whatever was waiting to be
sent about it is cancelled. Deleting removes the cohort with its posts and notes, and the
history of anyone still on its books: people who joined another cohort keep theirs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Delivery, Member
from bot.services.deliveries import about_cohort, cancel_waiting

ARCHIVED_REASON = "cohort archived"


async def active_members(session: AsyncSession, cohort: Cohort) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Member)
        .where(Member.cohort_id == cohort.id, Member.left_at.is_(None))
    )
    return int(count or 0)


async def members_on_record(session: AsyncSession, cohort: Cohort) -> int:
    """Everyone whose history still belongs to the cohort: members, and those who left it
    without joining another."""
    count = await session.scalar(
        select(func.count()).select_from(Member).where(Member.cohort_id == cohort.id)
    )
    return int(count or 0)


async def archive_cohort(session: AsyncSession, cohort: Cohort, now: datetime) -> int:
    """Archive ``cohort``; return how many active members it had."""
    result = await session.execute(
        update(Member)
        .where(Member.cohort_id == cohort.id, Member.left_at.is_(None))
        .values(left_at=now)
    )
    cohort.archived_at = now
    members = select(Member.id).where(Member.cohort_id == cohort.id)
    await cancel_waiting(session, about_cohort(cohort.id, members), ARCHIVED_REASON)
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_cohort(session: AsyncSession, cohort: Cohort) -> None:
    """Delete ``cohort``, its messages, and the members still on its books, whose check-ins,
    milestones, quiz attempts and points go with them (the rest cascades)."""
    members = select(Member.id).where(Member.cohort_id == cohort.id)
    await session.execute(delete(Delivery).where(about_cohort(cohort.id, members)))
    await session.execute(delete(Member).where(Member.cohort_id == cohort.id))
    await session.execute(delete(Cohort).where(Cohort.id == cohort.id))
