"""Everything known about one member's progress at one moment, as plain values.

``status``, the weekly nudge and the Slack App Home all render from this one snapshot, so
they can never disagree about pace or streak.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Milestone, Phase, Roadmap, Track
from bot.db.models import Checkin, Cohort, Member, MilestoneProgress, Pause
from bot.domain.gates import Gate, gate_open
from bot.domain.pace import (
    MilestoneTarget,
    Pace,
    accounted_for,
    pace,
    plan_fraction_done,
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
from bot.domain.streaks import current_streak
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
    checked_in_this_week: bool
    paused_until: date | None  # the member's local date
    milestones: tuple[MilestoneState, ...]  # every phase, in plan order
    checkin_weeks: frozenset[IsoWeek]
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
        state = next((m for m in self.milestones if m.milestone.key == MANAGER_MILESTONE), None)
        if state is None or state.done or state.milestone.plan_months is None:
            return False
        first, last = state.milestone.plan_months
        return first <= self.plan_month <= last

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


@dataclass(frozen=True)
class Mark:
    done_at: datetime
    evidence_url: str | None


@dataclass(frozen=True)
class MemberHistory:
    """The rows a snapshot needs, loaded in bulk so the scheduler can plan thousands at once."""

    progress: dict[str, Mark] = field(default_factory=dict)
    weeks: frozenset[IsoWeek] = frozenset()
    pauses: tuple[Pause, ...] = ()


async def load_histories(
    session: AsyncSession, member_ids: Sequence[int]
) -> dict[int, MemberHistory]:
    progress: dict[int, dict[str, Mark]] = defaultdict(dict)
    weeks: dict[int, set[IsoWeek]] = defaultdict(set)
    pauses: dict[int, list[Pause]] = defaultdict(list)
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
    return {
        member_id: MemberHistory(
            progress[member_id], frozenset(weeks[member_id]), tuple(pauses[member_id])
        )
        for member_id in member_ids
    }


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def required_targets(
    roadmap: Roadmap, windows: tuple[PhaseWindow, ...], start: date
) -> tuple[MilestoneTarget, ...]:
    """The target date of every required milestone of a plan, in plan order.

    Status, the weekly nudge and the leaderboards all measure pace against these.
    """
    return tuple(
        MilestoneTarget(
            milestone.key,
            phase.number,
            target_date(windows[phase.number - 1], milestone.due, start, milestone.plan_months),
        )
        for phase in roadmap.phases
        for milestone in phase.milestones
        if milestone.required
    )


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
        pace=pace(target_dates, done_count, today),
        plan_fraction=plan_fraction_done(
            target_dates, done_count, member.plan_start, windows[-1].ends_on
        ),
        streak=current_streak(weeks, paused_weeks, this_week),
        checked_in_this_week=this_week in weeks,
        paused_until=_local_end(active, member.timezone),
        milestones=tuple(states),
        checkin_weeks=weeks,
        graduated_on=_local_day(member.graduated_at, member.timezone),
    )


def _local_end(active: list[Pause], timezone: str) -> date | None:
    return _local_day(max((p.ends_at for p in active), default=None), timezone)


def _local_day(moment: datetime | None, timezone: str) -> date | None:
    return None if moment is None else local_date(moment, timezone)


def _paused_weeks(pauses: list[Pause], timezone: str) -> set[IsoWeek]:
    """The weeks containing a paused day. The day a pause ends is not paused, so a one-week
    pause from Monday to Monday skips one week, not two."""
    weeks: set[IsoWeek] = set()
    for pause in pauses:
        first = local_date(pause.starts_at, timezone)
        weeks |= weeks_spanned(first, local_date(pause.ends_at, timezone))
    return weeks


def skipped_weeks(pauses: Iterable[Pause], timezone: str) -> set[IsoWeek]:
    """Every ISO week (in ``timezone``) a pause touched: the weeks a streak skips.

    Points and cohort statistics use this, so they skip exactly the weeks ``status`` does.
    """
    return _paused_weeks(list(pauses), timezone)
