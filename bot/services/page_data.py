"""What each web page shows, read inside the caller's transaction.

Every figure comes from the services the chat replies use: the dashboard from ``cohort_report``
and ``cohort_stats`` (so it agrees with ``cohort report`` and ``cohort chart``), each member's
row and the roadmap from ``load_snapshot`` / ``compute_snapshot`` (so they agree with
``status``). Nothing here counts anything a second way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Roadmap
from bot.db.models import Cohort, Member
from bot.domain.weeks import IsoWeek, local_date
from bot.pages import (
    AttemptPassRate,
    DashboardMember,
    DashboardPage,
    GateAttemptItem,
    GatePassRate,
    PaceBand,
    PaceState,
    RepeatedBlocker,
    RoadmapPage,
    WeekRatePoint,
)
from bot.services.cohort_report import RATE_WEEKS, cohort_report
from bot.services.cohort_stats import ATTEMPTS_APART, weekly_rates
from bot.services.page_risk import risk_entries
from bot.services.page_roadmap import month_text, pace_meaning, phase_steps, week_calendar
from bot.services.quizzes import OPEN, VOID, attempts_of
from bot.services.snapshot import (
    Snapshot,
    compute_snapshot,
    load_histories,
    load_snapshot,
)

MOST_WEEKS_CHARTED = 156  # three years: a two-year cohort with room for extensions
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
        month_text=month_text(snapshot),
        pace_state=pace.state,
        pace_weeks=pace.weeks,
        pace_text=pace.describe(),
        pace_meaning=pace_meaning(snapshot),
        streak=snapshot.streak,
        graduated_on=snapshot.graduated_on,
        phases=phase_steps(snapshot, member.timezone),
        weeks=await week_calendar(session, member, snapshot),
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
