"""Cohort-wide numbers for the chart and the admin report, each a few aggregate queries.

A member is expected to check in during a week once their plan has started and until they
leave or graduate; a week they spent paused without checking in does not count against the cohort.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Checkin, Cohort, Member, Pause, QuizAttempt, Standing
from bot.domain.pace import PaceState
from bot.domain.weeks import IsoWeek, local_date
from bot.services.pace_query import is_behind, members_today, weeks_ahead
from bot.services.quizzes import FAILED, PASSED
from bot.services.snapshot import skipped_weeks

PHASES = (1, 2, 3, 4)
PACE_STATES: tuple[PaceState, ...] = ("ahead", "on track", "behind")


@dataclass(frozen=True)
class WeekRate:
    week: IsoWeek
    checked_in: int
    expected: int
    complete: bool  # False for the week still running

    @property
    def rate(self) -> float | None:
        return self.checked_in / self.expected if self.expected else None


@dataclass(frozen=True)
class CohortStats:
    cohort_name: str
    this_week: IsoWeek  # the week charted last: the current one, or a late post's own
    per_phase: tuple[int, ...]  # active members in phases 1-4
    pace: tuple[tuple[PaceState, int], ...]
    weekly: tuple[WeekRate, ...]  # oldest first, ending with this week

    @property
    def members(self) -> int:
        return sum(self.per_phase)


def _active(cohort: Cohort) -> tuple[ColumnElement[bool], ...]:
    return (Member.cohort_id == cohort.id, Member.left_at.is_(None))


async def members_per_phase(session: AsyncSession, cohort: Cohort) -> tuple[int, ...]:
    rows = await session.execute(
        select(Member.phase, func.count()).where(*_active(cohort)).group_by(Member.phase)
    )
    counts: dict[int, int] = dict(rows.all())
    return tuple(int(counts.get(p, 0)) for p in PHASES)


async def pace_distribution(
    session: AsyncSession, cohort: Cohort, now: datetime
) -> tuple[tuple[PaceState, int], ...]:
    """The same rule as ``bot.domain.pace.pace_at``, over the stored plan dates of everyone,
    each on their own calendar day as the pace board and ``status`` measure it."""
    today = await members_today(session, cohort, now)
    state = case((is_behind(today), "behind"), (weeks_ahead(today) > 0, "ahead"), else_="on track")
    rows = await session.execute(
        select(state, func.count())
        .select_from(Member)
        .outerjoin(Standing, Standing.member_id == Member.id)
        .where(*_active(cohort), Member.graduated_at.is_(None))  # a graduate has no plan left
        .group_by(state)
    )
    counts: dict[str, int] = dict(rows.all())
    return tuple((s, int(counts.get(s, 0))) for s in PACE_STATES)


async def weekly_rates(
    session: AsyncSession, cohort: Cohort, now: datetime, weeks: int, last: IsoWeek | None = None
) -> tuple[WeekRate, ...]:
    """Check-in rate for ``weeks`` ISO weeks (cohort time) ending with ``last``, the current
    week by default."""
    this_week = IsoWeek.of(local_date(now, cohort.timezone))
    span = [last or this_week]
    while len(span) < weeks:
        span.insert(0, span[0].previous())
    labels = [str(w) for w in span]
    members = (
        await session.execute(
            select(
                Member.id, Member.plan_start, Member.left_at, Member.graduated_at, Member.timezone
            ).where(Member.cohort_id == cohort.id)
        )
    ).all()
    checked: defaultdict[str, set[int]] = defaultdict(set)
    for member_id, label in await session.execute(
        select(Checkin.member_id, Checkin.iso_week)
        .join(Member, Member.id == Checkin.member_id)
        .where(Member.cohort_id == cohort.id, Checkin.iso_week.in_(labels))
    ):
        checked[label].add(member_id)
    first = datetime.combine(span[0].monday(), datetime.min.time(), now.tzinfo)
    pauses: defaultdict[int, list[Pause]] = defaultdict(list)
    for pause in await session.scalars(
        select(Pause)
        .join(Member, Member.id == Pause.member_id)
        .where(Member.cohort_id == cohort.id, Pause.ends_at > first - timedelta(days=1))
    ):
        pauses[pause.member_id].append(pause)
    timezone_of = {member_id: tz for member_id, _start, _left, _graduated, tz in members}
    paused = {m: skipped_weeks(p, timezone_of[m]) for m, p in pauses.items()}
    rates = []
    for week in span:
        monday, sunday = week.monday(), week.sunday()
        expected = {
            member_id
            for member_id, plan_start, left_at, graduated_at, _tz_name in members
            if plan_start <= sunday
            and (left_at is None or left_at.date() >= monday)
            and (graduated_at is None or graduated_at.date() >= monday)
            and week not in paused.get(member_id, ())
        } | checked[str(week)]
        rates.append(WeekRate(week, len(checked[str(week)]), len(expected), week != this_week))
    return tuple(rates)


async def checked_in_by(
    session: AsyncSession, cohort: Cohort, week: IsoWeek, until: datetime
) -> bool:
    """Whether any member of the cohort checked in for ``week`` before ``until``.

    The weekly post asks at its own slot, so a check-in after it never brings a late post.
    """
    found = await session.scalar(
        select(Checkin.id)
        .join(Member, Member.id == Checkin.member_id)
        .where(
            Member.cohort_id == cohort.id,
            Checkin.iso_week == str(week),
            Checkin.created_at <= until,
        )
        .limit(1)
    )
    return found is not None


async def cohort_stats(
    session: AsyncSession,
    cohort: Cohort,
    now: datetime,
    weeks: int = 12,
    *,
    week: IsoWeek | None = None,
) -> CohortStats:
    """The cohort's numbers, with check-in rates up to ``week`` (the current week by default):
    a weekly post sent late still charts the week it stands for."""
    week = week or IsoWeek.of(local_date(now, cohort.timezone))
    return CohortStats(
        cohort_name=cohort.name,
        this_week=week,
        per_phase=await members_per_phase(session, cohort),
        pace=await pace_distribution(session, cohort, now),
        weekly=await weekly_rates(session, cohort, now, weeks, week),
    )


@dataclass(frozen=True)
class AttemptRate:
    number: int  # 1 for first attempts, 2 for second ones; the last counts every later one too
    attempts: int
    passed: int


@dataclass(frozen=True)
class GateRate:
    phase: int
    attempts: int
    passed: int
    members_passed: int
    by_attempt: tuple[AttemptRate, ...]  # first attempts, second ones, then the rest


ATTEMPTS_APART = 3  # first, second, and third or later


async def gate_pass_rates(session: AsyncSession, cohort: Cohort) -> tuple[GateRate, ...]:
    rows = await session.execute(
        select(QuizAttempt.phase, QuizAttempt.status, QuizAttempt.member_id, QuizAttempt.number)
        .join(Member, Member.id == QuizAttempt.member_id)
        .where(Member.cohort_id == cohort.id, QuizAttempt.status.in_((PASSED, FAILED)))
    )
    attempts: Counter[int] = Counter()
    passed: Counter[int] = Counter()
    passers: defaultdict[int, set[int]] = defaultdict(set)
    tried: Counter[tuple[int, int]] = Counter()
    through: Counter[tuple[int, int]] = Counter()
    for phase, status, member_id, number in rows:
        nth = (phase, min(number, ATTEMPTS_APART))
        attempts[phase] += 1
        tried[nth] += 1
        if status == PASSED:
            passed[phase] += 1
            through[nth] += 1
            passers[phase].add(member_id)
    return tuple(
        GateRate(
            p,
            attempts[p],
            passed[p],
            len(passers[p]),
            tuple(
                AttemptRate(n, tried[p, n], through[p, n])
                for n in range(1, ATTEMPTS_APART + 1)
                if tried[p, n]
            ),
        )
        for p in PHASES
    )
