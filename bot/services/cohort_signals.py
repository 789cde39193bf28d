"""The check-in patterns of a cohort's admin report, read from the database: blockers several
members share, confidence that stays low, and hours per member per month.

Each reads the check-ins of the cohort's active members in one query and hands them to the
pure rules in ``bot.domain.cohort_signals``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Checkin, Cohort, Member
from bot.domain.cohort_signals import (
    HoursSpread,
    SharedBlocker,
    hours_spread,
    low_confidence_run,
    shared_blockers,
)
from bot.domain.plan import add_months
from bot.domain.weeks import IsoWeek, local_date

MONTHS_SHOWN = 3  # this month and the two before it


@dataclass(frozen=True)
class LowConfidence:
    display_name: str
    run: tuple[int, ...]  # the confidences of the latest low run, oldest first


@dataclass(frozen=True)
class MonthHours:
    month: date  # its first day
    spread: HoursSpread | None  # None when no member counts in it yet
    complete: bool  # False for the month still running


async def recent_signals(
    session: AsyncSession, cohort: Cohort, since: IsoWeek
) -> tuple[tuple[SharedBlocker, ...], tuple[LowConfidence, ...]]:
    """Shared blockers and low confidence, from the check-ins since ``since``."""
    rows = await session.execute(
        select(Member.display_name, Member.id, Checkin.blockers, Checkin.confidence)
        .join(Checkin, Checkin.member_id == Member.id)
        .where(
            Member.cohort_id == cohort.id,
            Member.left_at.is_(None),
            Checkin.iso_week >= str(since),
        )
        .order_by(Member.id, Checkin.iso_week)
    )
    blockers: defaultdict[str, list[str]] = defaultdict(list)
    confidence: defaultdict[tuple[str, int], list[int | None]] = defaultdict(list)
    for name, member_id, blocker, level in rows:
        if blocker:
            blockers[name].append(blocker)
        confidence[name, member_id].append(level)
    low = [
        LowConfidence(name, run)
        for (name, _id), levels in confidence.items()
        if (run := low_confidence_run(levels))
    ]
    low.sort(key=lambda entry: (-len(entry.run), entry.display_name.casefold()))
    return shared_blockers(blockers), tuple(low)


async def monthly_hours(
    session: AsyncSession, cohort: Cohort, now: datetime
) -> tuple[MonthHours, ...]:
    """Hours per member in each of the last three months, the current one last.

    A week belongs to the month of its Thursday, as ISO weeks do to years. A member counts in
    a month their plan had started by, or in which they checked in; a month without a check-in
    counts as 0 hours for them, which is what an organiser needs to see.
    """
    this_month = local_date(now, cohort.timezone).replace(day=1)
    months = [add_months(this_month, -back) for back in range(MONTHS_SHOWN - 1, -1, -1)]
    first = months[0] - timedelta(days=3)  # the Monday of a week whose Thursday is in it
    active = select(Member.id, Member.plan_start).where(
        Member.cohort_id == cohort.id, Member.left_at.is_(None)
    )
    members: dict[int, date] = dict((await session.execute(active)).all())
    hours: defaultdict[tuple[date, int], float] = defaultdict(float)
    for member_id, week_start, spent in await session.execute(
        select(Checkin.member_id, Checkin.week_start, Checkin.hours).where(
            Checkin.member_id.in_(active.with_only_columns(Member.id)),
            Checkin.week_start >= first,
        )
    ):
        month = (week_start + timedelta(days=3)).replace(day=1)
        hours[month, member_id] += spent
    shown = []
    for month in months:
        counted = [
            hours.get((month, member_id), 0.0)
            for member_id, start in members.items()
            if start <= month or (month, member_id) in hours
        ]
        shown.append(MonthHours(month, hours_spread(counted), month != this_month))
    return tuple(shown)
