"""The shape of ``points.yaml``: what each event is worth, and the limits that keep it fair.

Points are recomputed from events with these values, so changing a value re-scores everyone
the next time the ledger is rebuilt (``/pivot leaderboard recompute``).
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from bot.content.schema import Strict


class StreakBonus(Strict):
    weeks: int = Field(ge=2, le=104, description="the streak length that earns the bonus")
    points: int = Field(ge=1, le=1000)


class EarlyMilestone(Strict):
    """When a milestone marked long before its plan date must be backed by check-ins.

    A burst of links in someone's first week is not two months of work: without the
    check-ins, the mark stands but its points wait for the plan's date.
    """

    weeks_ahead: int = Field(ge=0, le=104, description="more than this many weeks early")
    checkins: int = Field(ge=0, le=104, description="check-ins in the milestone's phase needed")


class PointRules(Strict):
    checkin: int = Field(ge=0, le=1000, description="a weekly check-in")
    milestone: int = Field(ge=0, le=1000, description="a milestone marked done")
    milestone_evidence: int = Field(ge=0, le=1000, description="extra when it has a link")
    milestone_week_cap: int = Field(
        ge=0, le=10000, description="milestone and evidence points earned in one ISO week, at most"
    )
    early_milestone: EarlyMilestone
    gate_passed: int = Field(ge=0, le=10000, description="a phase gate passed, once per phase")
    streak_bonuses: tuple[StreakBonus, ...] = ()

    @model_validator(mode="after")
    def _increasing(self) -> Self:
        weeks = [b.weeks for b in self.streak_bonuses]
        if weeks != sorted(set(weeks)):
            raise ValueError(f"streak bonuses must have increasing, distinct weeks, got {weeks}")
        return self

    @model_validator(mode="after")
    def _cap_fits_a_milestone(self) -> Self:
        whole = self.milestone + self.milestone_evidence
        if self.milestone_week_cap < whole:
            raise ValueError(
                f"milestone_week_cap ({self.milestone_week_cap}) must be at least one milestone "
                f"with its evidence ({whole}), or no milestone could ever earn its full points"
            )
        return self

    def streak_bonus(self, weeks: int) -> int:
        return next((b.points for b in self.streak_bonuses if b.weeks == weeks), 0)
