"""Pace against your own plan: how far ahead or behind the plan's milestone dates you are.

Each required milestone has a target date inside its phase. With ``k`` of them done you are
behind when target ``k+1`` has passed, by the weeks since it passed; you are ahead when target
``k`` still lies in the future, by the weeks until it. Counting done milestones, not which ones,
means doing them in another order is never punished.

Only milestones with check-ins behind them can put you ahead. One marked long before its plan
date without them (see ``bot.domain.points.early_unbacked``) still counts as done, so it keeps
you from falling behind and lets a passed gate move you on, but the "ahead" side counts the
backed ones alone, even after the gate: a burst of links in month 1 reads "on track", never
"ahead by 19 weeks". Milestones of a phase left behind without marking them (a placement
quiz stands for them) count as backed. Marking one again once check-ins back it counts it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.plan import PhaseWindow, add_months, months_elapsed

PaceState = Literal["on track", "ahead", "behind"]
WEEK = 7  # days: less than a week either way is on track


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


@dataclass(frozen=True)
class PlanMarks:
    """The two plan dates pace is measured against, free of today, so they can be stored.

    ``reached`` is the target date of the last required milestone that counts towards being
    ahead; ``next_due`` the target date of the first required milestone not done. The pace
    board reads them from the standings and ``status`` through its snapshot, so the two can
    never disagree.
    """

    reached: date | None
    next_due: date | None

    @classmethod
    def of_days(cls, reached: int | None, next_due: int | None) -> PlanMarks:
        """From day ordinals, as the standings store them."""
        return cls(
            None if reached is None else date.fromordinal(reached),
            None if next_due is None else date.fromordinal(next_due),
        )


def plan_marks(targets: Sequence[date], done: int, backed: int | None = None) -> PlanMarks:
    """``targets`` are the required milestones' dates; ``done`` how many count as done and
    ``backed`` how many of those may put the member ahead (all of them when not given)."""
    targets = sorted(targets)
    done = min(max(done, 0), len(targets))
    backed = done if backed is None else min(max(backed, 0), done)
    return PlanMarks(
        targets[backed - 1] if backed else None, targets[done] if done < len(targets) else None
    )


def pace_at(marks: PlanMarks, today: date) -> Pace:
    if marks.next_due is not None and (today - marks.next_due).days >= WEEK:
        return Pace("behind", (today - marks.next_due).days // WEEK)
    if marks.reached is not None and (marks.reached - today).days >= WEEK:
        return Pace("ahead", (marks.reached - today).days // WEEK)
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
