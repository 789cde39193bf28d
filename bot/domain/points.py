"""Points as a pure function of what happened.

The ledger table is only ever the output of :func:`derive_awards` over a member's events, so
taking a milestone back, deleting a member or changing ``points.yaml`` can never leave a
stale counter behind: re-deriving gives the exact standing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.content.point_rules import PointRules
from bot.domain.gates import LAST_PHASE
from bot.domain.streaks import streak
from bot.domain.weeks import IsoWeek

AwardKind = Literal["checkin", "milestone", "evidence", "gate", "streak"]


@dataclass(frozen=True)
class CheckinFact:
    week: IsoWeek
    at: datetime


@dataclass(frozen=True)
class MilestoneFact:
    key: str
    phase: int  # 0 when the roadmap no longer has this key: the points stay, unphased
    done_at: datetime
    has_evidence: bool


@dataclass(frozen=True)
class GateFact:
    """A phase gate passed for the first time (a placement pass is the phase-1 gate)."""

    phase: int
    passed_at: datetime


@dataclass(frozen=True)
class Award:
    """One ledger row. ``source`` is unique per member, e.g. ``checkin:2026-W49``."""

    source: str
    kind: AwardKind
    points: int
    phase: int
    week: str
    earned_at: datetime

    @property
    def streak_length(self) -> int | None:
        """For a streak bonus, the length it was earned at (its source is ``streak:8:...``)."""
        return int(self.source.split(":")[1]) if self.kind == "streak" else None


def phase_at(advanced_at: Iterable[datetime], moment: datetime) -> int:
    """The phase a member was in at ``moment``, from the times they moved up."""
    return min(LAST_PHASE, 1 + sum(1 for when in advanced_at if when <= moment))


def streak_bonus_weeks(
    checkin_weeks: Iterable[IsoWeek],
    paused_weeks: Iterable[IsoWeek],
    lengths: Sequence[int],
    phase_starts: Iterable[IsoWeek] = (),
) -> list[tuple[int, IsoWeek]]:
    """Each ``(length, week)`` where a streak reached one of ``lengths`` in ``week``.

    Walked by :func:`bot.domain.streaks.streak`, the rule ``status`` shows: paused weeks
    and weeks a freeze covered neither break nor extend a streak. A streak that breaks and
    grows again earns its bonuses again.
    """
    done = list(checkin_weeks)
    if not done or not lengths:
        return []
    wanted = set(lengths)
    walked = streak(done, paused_weeks, max(done), phase_starts=phase_starts)
    return [(length, week) for length, week in walked.reached() if length in wanted]


def derive_awards(
    rules: PointRules,
    *,
    checkins: Sequence[CheckinFact],
    milestones: Sequence[MilestoneFact],
    gates: Sequence[GateFact],
    paused_weeks: Iterable[IsoWeek],
    advanced_at: Sequence[datetime],
    phase_starts: Iterable[IsoWeek],
    week_of: Callable[[datetime], IsoWeek],
) -> list[Award]:
    """Every award a member's events earn, in no particular order.

    Check-ins and streak bonuses belong to the check-in's own week; the rest to the week
    (in the cohort's timezone, through ``week_of``) in which they happened.
    """
    awards: list[Award] = []
    when_by_week = {c.week: c.at for c in checkins}
    for checkin in checkins:
        awards.append(
            Award(
                f"checkin:{checkin.week}",
                "checkin",
                rules.checkin,
                phase_at(advanced_at, checkin.at),
                str(checkin.week),
                checkin.at,
            )
        )
    lengths = [b.weeks for b in rules.streak_bonuses]
    for length, week in streak_bonus_weeks(when_by_week, paused_weeks, lengths, phase_starts):
        at = when_by_week[week]
        awards.append(
            Award(
                f"streak:{length}:{week}",
                "streak",
                rules.streak_bonus(length),
                phase_at(advanced_at, at),
                str(week),
                at,
            )
        )
    for fact in milestones:
        done_week = str(week_of(fact.done_at))
        awards.append(
            Award(
                f"milestone:{fact.key}",
                "milestone",
                rules.milestone,
                fact.phase,
                done_week,
                fact.done_at,
            )
        )
        if fact.has_evidence:
            awards.append(
                Award(
                    f"evidence:{fact.key}",
                    "evidence",
                    rules.milestone_evidence,
                    fact.phase,
                    done_week,
                    fact.done_at,
                )
            )
    for gate in gates:
        awards.append(
            Award(
                f"gate:{gate.phase}",
                "gate",
                rules.gate_passed,
                gate.phase,
                str(week_of(gate.passed_at)),
                gate.passed_at,
            )
        )
    return [a for a in awards if a.points > 0]
