"""The two web pages as platform-neutral values: what a cohort dashboard and a member's roadmap
show, computed by the core and rendered to HTML by ``adapters.web_pages``.

They are values, like a ``Reply``, so the page a browser sees and the file the console saves
come from one computation, and a test can compare a page with ``cohort report`` and ``status``.
Wording that a chat reply also uses (pace, the plan's month) is carried as the reply writes it,
so the two can never word the same fact differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

PaceState = Literal["on track", "ahead", "behind"]
MilestoneMark = Literal["done", "due", "overdue", "passed over"]
WeekMark = Literal["checked in", "missed", "paused", "before the plan", "to come"]


@dataclass(frozen=True)
class PaceBand:
    """One bar of the pace distribution: how many members stand this far from their plan."""

    label: str
    state: PaceState
    count: int


@dataclass(frozen=True)
class WeekRatePoint:
    week: str  # ISO week, "2026-W49"
    monday: date
    checked_in: int
    expected: int
    complete: bool  # False for the week still running

    @property
    def rate(self) -> float | None:
        return self.checked_in / self.expected if self.expected else None


@dataclass(frozen=True)
class AttemptPassRate:
    label: str  # "1st attempts", "2nd attempts", "3rd or later"
    attempts: int
    passed: int


@dataclass(frozen=True)
class GatePassRate:
    phase: int
    attempts: int
    passed: int
    members_passed: int
    by_attempt: tuple[AttemptPassRate, ...]


@dataclass(frozen=True)
class RiskEntry:
    """A member an organiser may want to reach, with every reason at once."""

    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RepeatedBlocker:
    topic: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class DashboardMember:
    name: str
    phase: int = 1
    plan_month: int = 1
    plan_months: int = 24
    pace_state: PaceState = "on track"
    pace_weeks: int = 0  # signed: ahead positive, behind negative; sorts like a timeline
    pace_text: str = "on track"  # as ``status`` says it
    streak: int = 0
    last_checkin: date | None = None  # the Monday of the last week checked in
    last_checkin_week: str | None = None
    hidden: bool = False  # off the boards other members see; admins still see them
    paused: bool = False
    graduated: bool = False


@dataclass(frozen=True)
class DashboardPage:
    """One cohort, for its admins: every member, hidden ones included; forgotten ones never."""

    cohort_name: str
    generated_at: datetime
    members: tuple[DashboardMember, ...]
    this_week: str = ""
    per_phase: tuple[int, ...] = (0, 0, 0, 0)
    pace_bands: tuple[PaceBand, ...] = ()
    weekly: tuple[WeekRatePoint, ...] = ()  # the cohort's life, oldest first
    recent_rate: float | None = None  # the last four complete weeks, as ``cohort report``
    recent_weeks: int = 4
    gates: tuple[GatePassRate, ...] = ()
    at_risk: tuple[RiskEntry, ...] = ()
    blockers: tuple[RepeatedBlocker, ...] = ()


@dataclass(frozen=True)
class MilestoneItem:
    key: str
    title: str
    required: bool
    mark: MilestoneMark
    due_on: date  # on the member's own plan
    done_on: date | None = None
    evidence_url: str | None = None


@dataclass(frozen=True)
class PhaseStep:
    number: int
    title: str
    checkpoint: str
    first_month: int
    last_month: int
    starts_on: date
    ends_on: date
    position: Literal["passed", "current", "ahead"]
    milestones: tuple[MilestoneItem, ...]

    @property
    def done(self) -> int:
        return sum(1 for m in self.milestones if m.mark == "done")


@dataclass(frozen=True)
class WeekCell:
    """One week of the check-in calendar."""

    week: str
    monday: date
    mark: WeekMark
    hours: float | None = None


@dataclass(frozen=True)
class GateAttemptItem:
    phase: int
    number: int
    kind: str  # "gate" or "placement"
    outcome: str  # "passed", "failed", "in progress"
    correct: int
    size: int
    pass_percent: int
    finished_on: date | None


@dataclass(frozen=True)
class RoadmapPage:
    """One member's whole road, for that member alone."""

    member_name: str
    cohort_name: str
    generated_at: datetime
    roadmap_title: str = ""
    track: str = ""
    today: date | None = None
    phase: int = 1
    phase_title: str = ""
    plan_month: int = 1
    plan_months: int = 24
    month_text: str = ""  # "Month 3 of 24", as ``status`` says it
    pace_state: PaceState = "on track"
    pace_weeks: int = 0
    pace_text: str = "on track"
    pace_meaning: str = ""
    streak: int = 0
    graduated_on: date | None = None
    phases: tuple[PhaseStep, ...] = ()
    weeks: tuple[WeekCell, ...] = ()  # a year, oldest first, ending with this week
    attempts: tuple[GateAttemptItem, ...] = ()  # oldest first

    @property
    def milestones_done(self) -> int:
        return sum(p.done for p in self.phases if p.number == self.phase)

    @property
    def milestones_total(self) -> int:
        return sum(len(p.milestones) for p in self.phases if p.number == self.phase)


WebPage = DashboardPage | RoadmapPage
