"""The monthly recap: one month of a member's plan in numbers, from what they recorded.

Hours, milestones, pace and streak come from the same snapshot that ``status`` shows, so the
recap and the status never disagree; only the hours need the check-in rows themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Checkin
from bot.domain.pace import Pace, pace_at, plan_marks
from bot.domain.plan import add_months
from bot.domain.weeks import IsoWeek
from bot.services.snapshot import Snapshot


@dataclass(frozen=True)
class LoggedHours:
    week: IsoWeek
    hours: float


@dataclass(frozen=True)
class MonthlyRecap:
    month: int  # the plan month it covers, counted from 1
    starts_on: date
    ends_on: date  # exclusive
    hours: float
    total_hours: float
    weeks_checked_in: int
    milestones: tuple[str, ...]  # titles of the milestones done in the month
    required_done: int
    required_total: int
    pace: Pace
    pace_before: Pace  # a month earlier
    streak: int

    def within_plan(self, plan_months: int) -> bool:
        return self.month <= plan_months


async def load_hours(
    session: AsyncSession, member_ids: Sequence[int]
) -> dict[int, list[LoggedHours]]:
    found: dict[int, list[LoggedHours]] = defaultdict(list)
    if member_ids:
        rows = await session.execute(
            select(Checkin.member_id, Checkin.iso_week, Checkin.hours).where(
                Checkin.member_id.in_(list(member_ids))
            )
        )
        for member_id, week, hours in rows:
            found[member_id].append(LoggedHours(IsoWeek.parse(week), hours))
    return found


def monthly_recap(
    snapshot: Snapshot, logged: Sequence[LoggedHours], month: int, phase_started_on: date
) -> MonthlyRecap:
    """The recap of plan month ``month``, as it stands at the snapshot's day.

    Pace a month ago counts the milestones done before then and the phases behind the member
    then; ``phase_started_on`` tells whether the current phase had begun.
    """
    starts_on = add_months(snapshot.plan_start, month - 1)
    ends_on = add_months(snapshot.plan_start, month)
    in_month = [entry for entry in logged if starts_on <= entry.week.monday() < ends_on]
    required = [m for m in snapshot.milestones if m.milestone.required]
    targets = [m.due_on for m in required]
    month_ago = add_months(snapshot.today, -1)
    phase_then = snapshot.phase.number - (1 if phase_started_on > month_ago else 0)
    done_then = sum(
        1
        for m in required
        if m.phase < phase_then or (m.done_at is not None and m.done_at.date() < month_ago)
    )
    return MonthlyRecap(
        month=month,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=sum(entry.hours for entry in in_month),
        total_hours=sum(entry.hours for entry in logged),
        weeks_checked_in=len(in_month),
        milestones=tuple(
            m.milestone.title
            for m in snapshot.milestones
            if m.done_at is not None and starts_on <= m.done_at.date() < ends_on
        ),
        required_done=sum(1 for m in required if m.done or m.phase < snapshot.phase.number),
        required_total=len(required),
        pace=snapshot.pace,
        pace_before=pace_at(plan_marks(targets, done_then), month_ago),
        streak=snapshot.streak,
    )
