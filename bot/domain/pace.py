"""Pace against your own plan: how far ahead or behind the plan's milestone dates you are.

Each required milestone has a target date inside its phase. With ``k`` of them done you are
behind when target ``k+1`` has passed, by the weeks since it passed; you are ahead when target
``k`` still lies in the future, by the weeks until it. Counting done milestones, not which ones,
means doing them in another order is never punished.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.plan import PhaseWindow, add_months, months_elapsed

PaceState = Literal["on track", "ahead", "behind"]


@dataclass(frozen=True)
class Pace:
    state: PaceState
    weeks: int = 0

    def describe(self) -> str:
        if self.state == "on track":
            return "on track"
        unit = "week" if self.weeks == 1 else "weeks"
        return f"{self.state} by {self.weeks} {unit}"


@dataclass(frozen=True)
class MilestoneTarget:
    key: str
    phase: int
    due_on: date


def accounted_for(
    targets: Iterable[MilestoneTarget], current_phase: int, done_keys: Collection[str]
) -> int:
    """How many required milestones count as done: the ones marked, and every one of the
    phases behind the member, even those they placed out of without marking each."""
    return sum(1 for t in targets if t.phase < current_phase or t.key in done_keys)


def month_window(
    window: PhaseWindow, plan_start: date, plan_months: tuple[int, int]
) -> tuple[int, int]:
    """A milestone's window of plan months, moved inside its phase on the member's track.

    The roadmap writes the window for the standard track ("month 3 or 4"); on a track whose
    phase ends sooner, the milestone still belongs to its phase, so its window closes with it.
    """
    first_month = months_elapsed(plan_start, window.starts_on) + 1
    last_month = max(months_elapsed(plan_start, window.ends_on), first_month)
    first, last = plan_months
    return (
        min(max(first, first_month), last_month),
        min(max(last, first_month), last_month),
    )


def target_date(
    window: PhaseWindow, due: float, plan_start: date, plan_months: tuple[int, int] | None
) -> date:
    if plan_months is not None:
        return add_months(plan_start, month_window(window, plan_start, plan_months)[1])
    span = (window.ends_on - window.starts_on).days
    return window.starts_on + timedelta(days=round(span * due))


def pace(targets: list[date], done: int, today: date) -> Pace:
    """``targets`` are the required milestones' dates in order; ``done`` is how many are done."""
    targets = sorted(targets)
    done = min(max(done, 0), len(targets))
    if done < len(targets) and targets[done] < today:
        weeks = (today - targets[done]).days // 7
        if weeks >= 1:
            return Pace("behind", weeks)
    if done > 0 and targets[done - 1] > today:
        weeks = (targets[done - 1] - today).days // 7
        if weeks >= 1:
            return Pace("ahead", weeks)
    return Pace("on track")


def plan_fraction_done(targets: list[date], done: int, plan_start: date, plan_end: date) -> float:
    """The share of the plan's time that your done milestones account for, 0.0 to 1.0.

    Used by the pace leaderboard: it compares members against their own plans, so late
    joiners and the fast track are not behind by construction.
    """
    targets = sorted(targets)
    if not targets or done <= 0:
        return 0.0
    reached = targets[min(done, len(targets)) - 1]
    total = (plan_end - plan_start).days or 1
    return min(max((reached - plan_start).days / total, 0.0), 1.0)
