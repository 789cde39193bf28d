"""What each web page shows, read inside the caller's transaction.

Every figure comes from the services the chat replies use: the dashboard from ``cohort_report``
and ``cohort_stats`` (so it agrees with ``cohort report`` and ``cohort chart``), each member's
row and the roadmap from ``load_snapshot`` / ``compute_snapshot`` (so they agree with
``status``). Nothing here counts anything a second way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Roadmap
from bot.db.models import Checkin, Cohort, Member, Pause
from bot.domain.weeks import IsoWeek, local_date
from bot.pages import (
    AttemptPassRate,
    DashboardMember,
    DashboardPage,
    GateAttemptItem,
    GatePassRate,
    MilestoneItem,
    MilestoneMark,
    PaceBand,
    PaceState,
    PhaseStep,
    RepeatedBlocker,
    RoadmapPage,
    WeekCell,
    WeekMark,
    WeekRatePoint,
)
from bot.services.cohort_report import RATE_WEEKS, cohort_report
from bot.services.cohort_stats import ATTEMPTS_APART, weekly_rates
from bot.services.page_risk import risk_entries
from bot.services.quizzes import OPEN, VOID, attempts_of
from bot.services.snapshot import (
    MilestoneState,
    Snapshot,
    compute_snapshot,
    load_histories,
    load_snapshot,
    skipped_weeks,
)

MOST_WEEKS_CHARTED = 156  # three years: a two-year cohort with room for extensions
CALENDAR_WEEKS = 52
FAR = 4  # weeks from the plan that make a pace band "far" rather than "near"
_ORDINALS = {1: "1st attempts", 2: "2nd attempts", ATTEMPTS_APART: "3rd or later"}
PACE_BANDS: tuple[tuple[PaceState, str], ...] = (
    ("behind", f"{FAR}+ weeks behind"),
    ("behind", f"1–{FAR - 1} weeks behind"),
    ("on track", "on track"),
    ("ahead", f"1–{FAR - 1} weeks ahead"),
    ("ahead", f"{FAR}+ weeks ahead"),
)


async def dashboard_page(
    session: AsyncSession, cohort: Cohort, roadmap: Roadmap, now: datetime
) -> DashboardPage:
    report = await cohort_report(session, cohort, now)
    members = list(
        await session.scalars(
            select(Member)
            .where(Member.cohort_id == cohort.id, Member.left_at.is_(None))
            .order_by(func.lower(Member.display_name), Member.id)
        )
    )
    histories = await load_histories(session, [m.id for m in members])
    rows = []
    for member in members:
        snapshot = compute_snapshot(member, roadmap, now, histories[member.id])
        rows.append(_member_row(member, snapshot))
    life = await _cohort_weeks(session, cohort, now)
    return DashboardPage(
        cohort_name=cohort.name,
        generated_at=now,
        members=tuple(rows),
        this_week=str(report.this_week),
        per_phase=report.per_phase,
        pace_bands=pace_bands(rows),
        weekly=tuple(
            WeekRatePoint(str(r.week), r.week.monday(), r.checked_in, r.expected, r.complete)
            for r in await weekly_rates(session, cohort, now, life)
        ),
        recent_rate=report.overall_rate,
        recent_weeks=RATE_WEEKS,
        gates=tuple(
            GatePassRate(
                g.phase,
                g.attempts,
                g.passed,
                g.members_passed,
                tuple(
                    AttemptPassRate(_ORDINALS[a.number], a.attempts, a.passed) for a in g.by_attempt
                ),
            )
            for g in report.gates
        ),
        at_risk=risk_entries(report, members),
        blockers=tuple(RepeatedBlocker(b.topic, b.members) for b in report.shared_blockers),
    )


def _member_row(member: Member, snapshot: Snapshot) -> DashboardMember:
    last = max(snapshot.checkin_weeks, default=None)
    pace = snapshot.pace
    return DashboardMember(
        name=member.display_name,
        phase=member.phase,
        plan_month=snapshot.shown_month,
        plan_months=snapshot.plan_months,
        pace_state=pace.state,
        pace_weeks=-pace.weeks if pace.state == "behind" else pace.weeks,
        pace_text=pace.describe(),
        streak=snapshot.streak,
        last_checkin=last.monday() if last else None,
        last_checkin_week=str(last) if last else None,
        hidden=not member.leaderboard_visible,
        paused=snapshot.paused_until is not None,
        graduated=snapshot.graduated_on is not None,
    )


def pace_bands(members: Iterable[DashboardMember]) -> tuple[PaceBand, ...]:
    """How many members stand how far from their own plan: a distribution, never a ranking.

    Graduates have no plan left, so they count in no band, as in ``cohort chart``."""
    counts = [0] * len(PACE_BANDS)
    for member in members:
        if member.graduated:
            continue
        weeks = member.pace_weeks
        if member.pace_state == "behind":
            counts[0 if -weeks >= FAR else 1] += 1
        elif member.pace_state == "ahead":
            counts[4 if weeks >= FAR else 3] += 1
        else:
            counts[2] += 1
    return tuple(
        PaceBand(label, state, count)
        for (state, label), count in zip(PACE_BANDS, counts, strict=True)
    )


async def _cohort_weeks(session: AsyncSession, cohort: Cohort, now: datetime) -> int:
    """How many weeks the cohort has lived: from its start, or its earliest plan, to now."""
    earliest = await session.scalar(
        select(func.min(Member.plan_start)).where(Member.cohort_id == cohort.id)
    )
    first = min(cohort.start_date, earliest) if earliest else cohort.start_date
    this_week = IsoWeek.of(local_date(now, cohort.timezone))
    lived = IsoWeek.of(first).weeks_until(this_week) + 1
    return max(1, min(lived, MOST_WEEKS_CHARTED))


async def roadmap_page(
    session: AsyncSession, member: Member, cohort: Cohort, roadmap: Roadmap, now: datetime
) -> RoadmapPage:
    snapshot = await load_snapshot(session, member, cohort, roadmap, now)
    pace = snapshot.pace
    return RoadmapPage(
        member_name=member.display_name,
        cohort_name=cohort.name,
        generated_at=now,
        roadmap_title=roadmap.title,
        track=snapshot.track.key,
        today=snapshot.today,
        phase=snapshot.phase.number,
        phase_title=snapshot.phase.title,
        plan_month=snapshot.shown_month,
        plan_months=snapshot.plan_months,
        month_text=_month_text(snapshot),
        pace_state=pace.state,
        pace_weeks=pace.weeks,
        pace_text=pace.describe(),
        pace_meaning=pace_meaning(snapshot),
        streak=snapshot.streak,
        graduated_on=snapshot.graduated_on,
        phases=_phases(snapshot, member.timezone),
        weeks=await _calendar(session, member, snapshot),
        attempts=tuple(
            GateAttemptItem(
                a.phase,
                a.number,
                a.kind,
                "in progress" if a.status == OPEN else a.status,
                a.correct,
                a.size,
                a.pass_percent,
                local_date(a.finished_at, member.timezone) if a.finished_at else None,
            )
            for a in reversed(await attempts_of(session, member.id))
            if a.status != VOID
        ),
    )


def _month_text(snapshot: Snapshot) -> str:
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


def _phases(snapshot: Snapshot, timezone: str) -> tuple[PhaseStep, ...]:
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


async def _calendar(
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
