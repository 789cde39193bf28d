"""Everything known about one member's progress at one moment, as plain values.

``status``, the weekly nudge and the Slack App Home all render from this one snapshot, so
they can never disagree about pace or streak. Pace comes from the member's stored standing,
the row the pace board ranks by, so the status and the board can never disagree either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Milestone, Phase, Roadmap, Track
from bot.db.models import (
    Checkin,
    Cohort,
    Member,
    MilestoneProgress,
    Pause,
    QuizAttempt,
    Standing,
)
from bot.domain.checkin_window import last_week_recordable, open_from
from bot.domain.gates import Gate, gate_open
from bot.domain.pace import (
    MilestoneTarget,
    Pace,
    PlanMarks,
    accounted_for,
    month_window,
    pace_at,
    plan_fraction_done,
    plan_marks,
    target_date,
)
from bot.domain.plan import (
    PhaseSpan,
    PhaseWindow,
    months_elapsed,
    plan_month,
    span_windows,
    track_spans,
)
from bot.domain.streaks import Streak, phase_start_weeks, streak
from bot.domain.weeks import IsoWeek, local_date, weeks_spanned

MANAGER_MILESTONE = "manager-conversation"


@dataclass(frozen=True)
class MilestoneState:
    milestone: Milestone
    phase: int
    due_on: date
    done_at: datetime | None
    evidence_url: str | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    today: date
    this_week: IsoWeek
    roadmap: Roadmap
    track: Track
    phase: Phase
    windows: tuple[PhaseWindow, ...]
    spans: tuple[PhaseSpan, ...]  # the same phases, in months from the plan's start
    plan_start: date
    plan_month: int
    pace: Pace
    plan_fraction: float
    streak: int
    streak_freeze_ready: bool  # this phase's freeze would cover the next missed week
    frozen_weeks: tuple[IsoWeek, ...]  # missed weeks a freeze covered
    checked_in_this_week: bool
    last_week_missing: bool  # last week has no check-in and may still get one
    paused_until: date | None  # the member's local date
    milestones: tuple[MilestoneState, ...]  # every phase, in plan order
    checkin_weeks: frozenset[IsoWeek]
    manager_months: tuple[int, int] | None  # when to talk to one's manager, on this plan
    graduated_on: date | None = None  # the member's local date

    @property
    def plan_months(self) -> int:
        """The plan's length: the track's, or longer after a re-plan or an extension."""
        return self.spans[-1].end

    @property
    def past_plan_end(self) -> bool:
        return self.graduated_on is None and self.today >= self.windows[-1].ends_on

    @property
    def shown_month(self) -> int:
        """The month every reply names: never above the plan's length, so a member past the
        end reads "month 24 of 24" and the words that say so, not "month 25 of 24"."""
        return min(self.plan_month, self.plan_months)

    @property
    def this_month_index(self) -> int:
        """The current month counted from 0, as phase spans count."""
        return months_elapsed(self.plan_start, self.today)

    @property
    def phase_milestones(self) -> tuple[MilestoneState, ...]:
        return tuple(m for m in self.milestones if m.phase == self.phase.number)

    @property
    def missing_required(self) -> tuple[MilestoneState, ...]:
        return tuple(m for m in self.phase_milestones if m.milestone.required and not m.done)

    @property
    def next_milestone(self) -> MilestoneState | None:
        pending = [m for m in self.phase_milestones if not m.done and m.milestone.required]
        return min(pending, key=lambda m: m.due_on) if pending else None

    @property
    def manager_conversation_due(self) -> bool:
        months = self.manager_months
        done = any(m.done for m in self.milestones if m.milestone.key == MANAGER_MILESTONE)
        return months is not None and not done and months[0] <= self.plan_month <= months[1]

    @property
    def window(self) -> PhaseWindow:
        return self.windows[self.phase.number - 1]

    @property
    def gate(self) -> Gate:
        """Whether the current phase's gate quiz is open today (see ``bot.domain.gates``)."""
        return gate_open(self.window, self.today, [m.milestone.key for m in self.missing_required])


def member_roadmap_track(member: Member, roadmap: Roadmap) -> Track:
    return roadmap.track(member.track) or roadmap.tracks[0]


def member_spans(member: Member, track: Track) -> tuple[PhaseSpan, ...]:
    """The member's own phases: their re-planned or extended plan, or else their track's."""
    stored = member.phase_plan
    if stored and len(stored) == len(track.phase_months):
        return tuple(PhaseSpan(int(offset), int(months)) for offset, months in stored)
    return track_spans(track.phase_months)


def member_windows(member: Member, roadmap: Roadmap) -> tuple[PhaseWindow, ...]:
    spans = member_spans(member, member_roadmap_track(member, roadmap))
    return span_windows(member.plan_start, spans)


def manager_months(member: Member, roadmap: Roadmap) -> tuple[int, int] | None:
    """The plan months for the manager conversation on the member's track: months 3 and 4
    on the standard track, moved inside phase 1 where that phase is shorter."""
    found = roadmap.find_milestone(MANAGER_MILESTONE)
    months = found[1].plan_months if found else None
    if found is None or months is None:
        return None
    window = member_windows(member, roadmap)[found[0].number - 1]
    return month_window(window, member.plan_start, months)


class PauseSpan(Protocol):
    """A pause as the rules read it: a stored ``Pause`` or the same two moments as values."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


@dataclass(frozen=True)
class Mark:
    done_at: datetime
    evidence_url: str | None


@dataclass(frozen=True)
class MemberHistory:
    """The rows a snapshot needs, loaded in bulk so the scheduler can plan thousands at once."""

    progress: dict[str, Mark] = field(default_factory=dict)
    weeks: frozenset[IsoWeek] = frozenset()
    pauses: tuple[PauseSpan, ...] = ()
    advanced: tuple[datetime, ...] = ()  # when the member moved up each phase
    marks: PlanMarks | None = None  # from the standing; None before the first one is written


async def load_histories(
    session: AsyncSession, member_ids: Sequence[int]
) -> dict[int, MemberHistory]:
    progress: dict[int, dict[str, Mark]] = defaultdict(dict)
    weeks: dict[int, set[IsoWeek]] = defaultdict(set)
    pauses: dict[int, list[PauseSpan]] = defaultdict(list)
    advanced: dict[int, list[datetime]] = defaultdict(list)
    marks: dict[int, PlanMarks] = {}
    for chunk in _chunks(member_ids):
        for member_id, key, done_at, evidence in await session.execute(
            select(
                MilestoneProgress.member_id,
                MilestoneProgress.milestone_key,
                MilestoneProgress.done_at,
                MilestoneProgress.evidence_url,
            ).where(MilestoneProgress.member_id.in_(chunk))
        ):
            progress[member_id][key] = Mark(done_at, evidence)
        for member_id, iso_week in await session.execute(
            select(Checkin.member_id, Checkin.iso_week).where(Checkin.member_id.in_(chunk))
        ):
            weeks[member_id].add(IsoWeek.parse(iso_week))
        for pause in await session.scalars(select(Pause).where(Pause.member_id.in_(chunk))):
            pauses[pause.member_id].append(pause)
        for member_id, advanced_at in await session.execute(
            select(QuizAttempt.member_id, QuizAttempt.advanced_at).where(
                QuizAttempt.member_id.in_(chunk), QuizAttempt.advanced_at.is_not(None)
            )
        ):
            if advanced_at is not None:  # the query asked for set ones only
                advanced[member_id].append(advanced_at)
        for member_id, reached, next_due in await session.execute(
            select(Standing.member_id, Standing.done_target_day, Standing.next_target_day).where(
                Standing.member_id.in_(chunk)
            )
        ):
            marks[member_id] = PlanMarks.of_days(reached, next_due)
    return {
        member_id: MemberHistory(
            progress[member_id],
            frozenset(weeks[member_id]),
            tuple(pauses[member_id]),
            tuple(advanced[member_id]),
            marks.get(member_id),
        )
        for member_id in member_ids
    }


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def milestone_targets(
    roadmap: Roadmap, windows: tuple[PhaseWindow, ...], start: date, *, required_only: bool
) -> tuple[MilestoneTarget, ...]:
    """The target date of each milestone of a plan (or each required one), in plan order."""
    return tuple(
        MilestoneTarget(
            milestone.key,
            phase.number,
            target_date(windows[phase.number - 1], milestone.due, start, milestone.plan_months),
        )
        for phase in roadmap.phases
        for milestone in phase.milestones
        if milestone.required or not required_only
    )


def required_targets(
    roadmap: Roadmap, windows: tuple[PhaseWindow, ...], start: date
) -> tuple[MilestoneTarget, ...]:
    """The target date of every required milestone of a plan, in plan order.

    Status, the weekly nudge and the leaderboards all measure pace against these.
    """
    return milestone_targets(roadmap, windows, start, required_only=True)


async def load_snapshot(
    session: AsyncSession, member: Member, cohort: Cohort, roadmap: Roadmap, now: datetime
) -> Snapshot:
    del cohort  # the plan start is stored on the member when they join
    history = (await load_histories(session, [member.id]))[member.id]
    return compute_snapshot(member, roadmap, now, history)


def compute_snapshot(
    member: Member, roadmap: Roadmap, now: datetime, history: MemberHistory
) -> Snapshot:
    today = local_date(now, member.timezone)
    track = member_roadmap_track(member, roadmap)
    spans = member_spans(member, track)
    windows = span_windows(member.plan_start, spans)
    progress, weeks, pauses = history.progress, history.weeks, list(history.pauses)

    states: list[MilestoneState] = []
    targets: list[MilestoneTarget] = []
    for phase in roadmap.phases:
        window = windows[phase.number - 1]
        for milestone in phase.milestones:
            due_on = target_date(window, milestone.due, member.plan_start, milestone.plan_months)
            row = progress.get(milestone.key)
            states.append(
                MilestoneState(
                    milestone,
                    phase.number,
                    due_on,
                    row.done_at if row else None,
                    row.evidence_url if row else None,
                )
            )
            if milestone.required:
                targets.append(MilestoneTarget(milestone.key, phase.number, due_on))

    done_count = accounted_for(targets, member.phase, progress)
    target_dates = [t.due_on for t in targets]
    this_week = IsoWeek.of(today)
    paused_weeks = _paused_weeks(pauses, member.timezone)
    active = [p for p in pauses if p.starts_at <= now < p.ends_at]
    streak_now = member_streak(weeks, paused_weeks, history.advanced, member.timezone, today)
    last_week = this_week.previous()
    return Snapshot(
        now=now,
        today=today,
        this_week=this_week,
        roadmap=roadmap,
        track=track,
        phase=roadmap.phase(member.phase),
        windows=windows,
        spans=spans,
        plan_start=member.plan_start,
        plan_month=plan_month(member.plan_start, today),
        pace=pace_at(history.marks or plan_marks(target_dates, done_count), today),
        plan_fraction=plan_fraction_done(
            target_dates, done_count, member.plan_start, windows[-1].ends_on
        ),
        streak=streak_now.length,
        streak_freeze_ready=streak_now.freeze_ready,
        frozen_weeks=streak_now.frozen,
        checked_in_this_week=this_week in weeks,
        last_week_missing=last_week_recordable(today, member.plan_start)
        and last_week not in weeks
        and last_week not in paused_weeks,
        paused_until=_local_end(active, member.timezone),
        milestones=tuple(states),
        checkin_weeks=weeks,
        manager_months=manager_months(member, roadmap),
        graduated_on=_local_day(member.graduated_at, member.timezone),
    )


def member_streak(
    weeks: Iterable[IsoWeek],
    paused_weeks: Iterable[IsoWeek],
    advanced: Iterable[datetime],
    timezone: str,
    today: date,
) -> Streak:
    """A member's streak on ``today``, by the one rule status and points share: phases (for
    the freezes) change in the week the member moved up, in their own timezone."""
    return streak(
        weeks,
        paused_weeks,
        IsoWeek.of(today),
        phase_starts=phase_start_weeks(advanced, timezone),
        open_from=open_from(today),
    )


def _local_end(active: list[PauseSpan], timezone: str) -> date | None:
    return _local_day(max((p.ends_at for p in active), default=None), timezone)


def _local_day(moment: datetime | None, timezone: str) -> date | None:
    return None if moment is None else local_date(moment, timezone)


def _paused_weeks(pauses: list[PauseSpan], timezone: str) -> set[IsoWeek]:
    """The weeks containing a paused day. The day a pause ends is not paused, so a one-week
    pause from Monday to Monday skips one week, not two."""
    weeks: set[IsoWeek] = set()
    for pause in pauses:
        first = local_date(pause.starts_at, timezone)
        weeks |= weeks_spanned(first, local_date(pause.ends_at, timezone))
    return weeks


def skipped_weeks(pauses: Iterable[PauseSpan], timezone: str) -> set[IsoWeek]:
    """Every ISO week (in ``timezone``) a pause touched: the weeks a streak skips.

    Points and cohort statistics use this, so they skip exactly the weeks ``status`` does.
    """
    return _paused_weeks(list(pauses), timezone)
