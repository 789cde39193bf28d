"""Points as a pure function of what happened.

The ledger table is only ever the output of :func:`derive_awards` over a member's events, so
taking a milestone back, deleting a member or changing ``points.yaml`` can never leave a
stale counter behind: re-deriving gives the exact standing.

Three rules keep milestone points from being gamed, all decided from the events alone so a
rebuild agrees with the ledger kept after each command:

- an evidence link earns its points for one milestone only, the first that used it;
- a milestone marked more than ``early_milestone.weeks_ahead`` weeks before its plan date,
  without ``early_milestone.checkins`` check-ins since its phase began, earns its points on
  the plan date (an award dated in the future, which no board counts before its day);
- milestone and evidence points in one ISO week stop at ``milestone_week_cap``, first come
  first served, so the week's last milestone may earn part of its points or none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.content.point_rules import PointRules
from bot.domain.evidence import evidence_key
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
    evidence: str | None  # the link given as evidence
    due_at: datetime | None = None  # when the member's plan reaches it; None off the roadmap


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


def early_unbacked(
    rules: PointRules,
    milestones: Sequence[MilestoneFact],
    checkins: Sequence[CheckinFact],
    advanced_at: Sequence[datetime],
) -> frozenset[str]:
    """The milestones marked too long before their plan date for the check-ins behind them.

    What backs a mark is the check-ins made since its phase began, up to the moment it was
    marked, so the answer never changes afterwards: it is part of the event, not of today.
    """
    ahead = timedelta(weeks=rules.early_milestone.weeks_ahead)
    early = [f for f in milestones if f.due_at is not None and f.due_at - f.done_at > ahead]
    moved_up = sorted(advanced_at)

    def backing(fact: MilestoneFact) -> int:
        began = moved_up[fact.phase - 2] if 2 <= fact.phase <= len(moved_up) + 1 else None
        return sum(1 for c in checkins if c.at <= fact.done_at and (began is None or c.at >= began))

    return frozenset(f.key for f in early if backing(f) < rules.early_milestone.checkins)


def milestone_awards(
    rules: PointRules,
    milestones: Sequence[MilestoneFact],
    checkins: Sequence[CheckinFact],
    advanced_at: Sequence[datetime],
    week_of: Callable[[datetime], IsoWeek],
) -> list[Award]:
    """Each milestone's points and its evidence's, after the three rules of this module."""
    unbacked = early_unbacked(rules, milestones, checkins, advanced_at)

    def earns_at(fact: MilestoneFact) -> datetime:
        return fact.due_at if fact.due_at is not None and fact.key in unbacked else fact.done_at

    first_use: dict[str, str] = {}
    for fact in sorted(milestones, key=lambda f: (f.done_at, f.key)):
        if fact.evidence:
            first_use.setdefault(evidence_key(fact.evidence), fact.key)
    spent: defaultdict[IsoWeek, int] = defaultdict(int)
    awards: list[Award] = []
    for fact in sorted(milestones, key=lambda f: (earns_at(f), f.key)):
        at = earns_at(fact)
        week = week_of(at)
        parts: list[tuple[AwardKind, int]] = [("milestone", rules.milestone)]
        if fact.evidence and first_use[evidence_key(fact.evidence)] == fact.key:
            parts.append(("evidence", rules.milestone_evidence))
        for kind, points in parts:
            granted = max(0, min(points, rules.milestone_week_cap - spent[week]))
            spent[week] += granted
            awards.append(Award(f"{kind}:{fact.key}", kind, granted, fact.phase, str(week), at))
    return awards


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
    (in the cohort's timezone, through ``week_of``) in which they are earned: when they
    happened, or for an unbacked early milestone, when the plan reaches it.
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
    awards.extend(milestone_awards(rules, milestones, checkins, advanced_at, week_of))
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
