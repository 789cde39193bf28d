"""What an organiser needs each week: who is at risk, and how the cohort is doing.

``cohort_report`` gathers every number of the admin report as plain values, so the same
report can be rendered as a chat reply or a web page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Member, Pause, Standing
from bot.domain.cohort_signals import SharedBlocker
from bot.domain.weeks import IsoWeek, local_date
from bot.services.cohort_signals import LowConfidence, MonthHours, monthly_hours, recent_signals
from bot.services.cohort_stats import (
    GateRate,
    WeekRate,
    gate_pass_rates,
    members_per_phase,
    weekly_rates,
)

SILENT_WEEKS = 3
BEHIND_WEEKS = 4
RATE_WEEKS = 4


@dataclass(frozen=True)
class AtRisk:
    member_id: int
    display_name: str
    silent_weeks: int | None  # complete weeks without a check-in, when 3 or more
    behind_weeks: int | None  # weeks past the next milestone's target, when 4 or more

    @property
    def severity(self) -> int:
        return (self.silent_weeks or 0) + (self.behind_weeks or 0)


@dataclass(frozen=True)
class CohortReport:
    cohort_name: str
    this_week: IsoWeek
    rates: tuple[WeekRate, ...]  # the last four complete weeks
    per_phase: tuple[int, ...]
    at_risk: tuple[AtRisk, ...]  # most at risk first
    gates: tuple[GateRate, ...]
    shared_blockers: tuple[SharedBlocker, ...]  # over the same weeks and this one
    low_confidence: tuple[LowConfidence, ...]  # longest low run first
    monthly_hours: tuple[MonthHours, ...]  # oldest first, ending with this month

    @property
    def overall_rate(self) -> float | None:
        expected = sum(r.expected for r in self.rates)
        return sum(r.checked_in for r in self.rates) / expected if expected else None


def _weeks_back(week: IsoWeek, count: int) -> IsoWeek:
    for _ in range(count):
        week = week.previous()
    return week


async def members_at_risk(
    session: AsyncSession, cohort: Cohort, now: datetime
) -> tuple[AtRisk, ...]:
    """Silent for three complete weeks or more, or four weeks or more behind their own plan.

    Members on a pause are left out: they told us they are away; graduates, whose plan is
    over, too.
    """
    today = local_date(now, cohort.timezone)
    this_week = IsoWeek.of(today)
    last_allowed = _weeks_back(this_week, SILENT_WEEKS + 1)  # no check-in after this week
    started_by = _weeks_back(this_week, SILENT_WEEKS).sunday().toordinal()
    day = literal(today.toordinal())
    silent = or_(
        Standing.last_checkin_week <= str(last_allowed),
        Standing.last_checkin_week.is_(None) & (Standing.plan_start_day <= started_by),
    )
    behind = day - Standing.next_target_day >= 7 * BEHIND_WEEKS
    paused = exists().where(
        Pause.member_id == Member.id, Pause.starts_at <= now, Pause.ends_at > now
    )
    rows = await session.execute(
        select(
            Member.id,
            Member.display_name,
            Standing.last_checkin_week,
            Standing.plan_start_day,
            Standing.next_target_day,
        )
        .join(Standing, Standing.member_id == Member.id)
        .where(
            Member.cohort_id == cohort.id,
            Member.left_at.is_(None),
            Member.graduated_at.is_(None),
            or_(silent, behind),
            ~paused,
        )
    )
    found = []
    for member_id, name, last_week, start_day, next_day in rows:
        since = (
            IsoWeek.parse(last_week).next()
            if last_week
            else IsoWeek.of(date.fromordinal(start_day))
        )
        silent_weeks = since.weeks_until(this_week)
        behind_weeks = (today.toordinal() - next_day) // 7 if next_day is not None else 0
        found.append(
            AtRisk(
                member_id,
                name,
                silent_weeks if silent_weeks >= SILENT_WEEKS else None,
                behind_weeks if behind_weeks >= BEHIND_WEEKS else None,
            )
        )
    return tuple(sorted(found, key=lambda r: (-r.severity, r.display_name.casefold(), r.member_id)))


async def cohort_report(session: AsyncSession, cohort: Cohort, now: datetime) -> CohortReport:
    rates = await weekly_rates(session, cohort, now, RATE_WEEKS + 1)
    blockers, low_confidence = await recent_signals(session, cohort, rates[0].week)
    return CohortReport(
        cohort_name=cohort.name,
        this_week=rates[-1].week,
        rates=tuple(r for r in rates if r.complete),
        per_phase=await members_per_phase(session, cohort),
        at_risk=await members_at_risk(session, cohort, now),
        gates=await gate_pass_rates(session, cohort),
        shared_blockers=blockers,
        low_confidence=low_confidence,
        monthly_hours=await monthly_hours(session, cohort, now),
    )
