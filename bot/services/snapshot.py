"""Everything known about one member's progress at one moment, as plain values.

``status``, the weekly nudge and the Slack App Home all render from this one snapshot, so
they can never disagree about pace or streak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
from bot.domain.plan import PhaseWindow, phase_windows, plan_month
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
    today: date
    this_week: IsoWeek
    roadmap: Roadmap
    track: Track
    phase: Phase
    windows: tuple[PhaseWindow, ...]
    plan_start: date
    plan_month: int
    pace: Pace
    plan_fraction: float
    streak: int
    checked_in_this_week: bool
    paused_until: datetime | None
    milestones: tuple[MilestoneState, ...]  # every phase, in plan order
    checkin_weeks: frozenset[IsoWeek]

    @property
    def plan_months(self) -> int:
        return self.track.months

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
    today = local_date(now, member.timezone)
    track = member_roadmap_track(member, roadmap)
    windows = phase_windows(member.plan_start, track.phase_months)

    progress = {
        row.milestone_key: row
        for row in await session.scalars(
            select(MilestoneProgress).where(MilestoneProgress.member_id == member.id)
        )
    }
    weeks = frozenset(
        IsoWeek.parse(w)
        for w in await session.scalars(
            select(Checkin.iso_week).where(Checkin.member_id == member.id)
        )
    )
    pauses = list(await session.scalars(select(Pause).where(Pause.member_id == member.id)))

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
        today=today,
        this_week=this_week,
        roadmap=roadmap,
        track=track,
        phase=roadmap.phase(member.phase),
        windows=windows,
        plan_start=member.plan_start,
        plan_month=plan_month(member.plan_start, today),
        pace=pace(target_dates, done_count, today),
        plan_fraction=plan_fraction_done(
            target_dates, done_count, member.plan_start, windows[-1].ends_on
        ),
        streak=current_streak(weeks, paused_weeks, this_week),
        checked_in_this_week=this_week in weeks,
        paused_until=max((p.ends_at for p in active), default=None),
        milestones=tuple(states),
        checkin_weeks=weeks,
    )


def _paused_weeks(pauses: list[Pause], timezone: str) -> set[IsoWeek]:
    weeks: set[IsoWeek] = set()
    for pause in pauses:
        first = local_date(pause.starts_at, timezone)
        last = local_date(pause.ends_at - timedelta(microseconds=1), timezone)
        weeks |= weeks_spanned(first, last + timedelta(days=1))
    return weeks


def skipped_weeks(pauses: Iterable[Pause], timezone: str) -> set[IsoWeek]:
    """Every ISO week (in ``timezone``) a pause touched: the weeks a streak skips.

    Points and cohort statistics use this, so they skip exactly the weeks ``status`` does.
    """
    return _paused_weeks(list(pauses), timezone)
