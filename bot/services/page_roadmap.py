"""The roadmap page's parts, from a member's snapshot: the phases with their milestones, a
year of weeks, and what the pace means in weeks.

Every mark and date comes from the snapshot ``status`` reads, so the page and the reply agree.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Checkin, Member, Pause
from bot.domain.weeks import IsoWeek, local_date
from bot.pages import MilestoneItem, MilestoneMark, PhaseStep, WeekCell, WeekMark
from bot.services.snapshot import MilestoneState, Snapshot, skipped_weeks

CALENDAR_WEEKS = 52


def month_text(snapshot: Snapshot) -> str:
    text = f"Month {snapshot.shown_month} of {snapshot.plan_months}"
    return f"{text} (past the plan's end)" if snapshot.past_plan_end else text


def pace_meaning(snapshot: Snapshot) -> str:
    """What the pace says, in weeks of the member's own plan."""
    pace = snapshot.pace
    weeks = f"{pace.weeks} week" + ("" if pace.weeks == 1 else "s")
    if snapshot.graduated_on is not None:
        return "The plan is complete: there is no pace left to keep."
    if pace.state == "ahead":
        return (
            f"Your plan dates the milestones you have done up to {weeks} from now: you could "
            f"take {weeks} off and still be on plan."
        )
    if pace.state == "behind":
        return (
            f"Your next required milestone was due on your plan {weeks} ago. Finishing it "
            "brings you back towards on track; a re-plan moves the dates if life changed."
        )
    return "You are within a week of your plan's dates, one way or the other."


def phase_steps(snapshot: Snapshot, timezone: str) -> tuple[PhaseStep, ...]:
    steps = []
    for phase, span, window in zip(
        snapshot.roadmap.phases, snapshot.spans, snapshot.windows, strict=True
    ):
        position = _position(phase.number, snapshot)
        steps.append(
            PhaseStep(
                phase.number,
                phase.title,
                phase.checkpoint,
                span.offset + 1,
                span.end,
                window.starts_on,
                window.ends_on,
                position,
                tuple(
                    _milestone(m, snapshot, timezone)
                    for m in snapshot.milestones
                    if m.phase == phase.number
                ),
            )
        )
    return tuple(steps)


def _position(number: int, snapshot: Snapshot) -> Literal["passed", "current", "ahead"]:
    current = snapshot.phase.number
    if number < current or snapshot.graduated_on is not None:
        return "passed"
    return "current" if number == current else "ahead"


def _milestone(state: MilestoneState, snapshot: Snapshot, timezone: str) -> MilestoneItem:
    mark: MilestoneMark
    if state.done_at is not None:
        mark = "done"
    elif state.phase < snapshot.phase.number or snapshot.graduated_on is not None:
        mark = "passed over"
    elif state.due_on < snapshot.today:
        mark = "overdue"
    else:
        mark = "due"
    milestone = state.milestone
    return MilestoneItem(
        milestone.key,
        milestone.title,
        milestone.required,
        mark,
        state.due_on,
        local_date(state.done_at, timezone) if state.done_at else None,
        state.evidence_url,
    )


async def week_calendar(
    session: AsyncSession, member: Member, snapshot: Snapshot
) -> tuple[WeekCell, ...]:
    """A year of weeks ending with this one: checked in (with the hours), paused, missed, or
    before the plan began. A week checked in while paused shows the check-in."""
    weeks = [snapshot.this_week]
    while len(weeks) < CALENDAR_WEEKS:
        weeks.insert(0, weeks[0].previous())
    hours = dict(
        (
            await session.execute(
                select(Checkin.iso_week, Checkin.hours).where(
                    Checkin.member_id == member.id, Checkin.iso_week >= str(weeks[0])
                )
            )
        ).all()
    )
    pauses = await session.scalars(select(Pause).where(Pause.member_id == member.id))
    paused = skipped_weeks(pauses, member.timezone)
    return tuple(
        WeekCell(str(w), w.monday(), _week_mark(w, snapshot, paused), hours.get(str(w)))
        for w in weeks
    )


def _week_mark(week: IsoWeek, snapshot: Snapshot, paused: set[IsoWeek]) -> WeekMark:
    if week in snapshot.checkin_weeks:
        return "checked in"
    if week in paused:
        return "paused"
    if week.sunday() < snapshot.plan_start:
        return "before the plan"
    if week == snapshot.this_week:
        return "to come"
    return "missed"
