"""Who an organiser may want to reach, for the dashboard: every reason for one member at once.

The reasons are the ones the admin report and digest already find (silent three weeks or more,
well behind their own plan, confidence that stays low, DMs that fail), gathered per member so
the page lists each person once.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.db.models import Member
from bot.domain.cohort_signals import LOW_CONFIDENCE
from bot.pages import RiskEntry
from bot.services.cohort_report import CohortReport


def _weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def risk_entries(report: CohortReport, members: Sequence[Member]) -> tuple[RiskEntry, ...]:
    """Most at risk first, as the report orders them; then low confidence; then unreachable."""
    reasons: dict[str, list[str]] = {}
    for risk in report.at_risk:
        found = reasons.setdefault(risk.display_name, [])
        if risk.silent_weeks is not None:
            found.append(f"quiet for {_weeks(risk.silent_weeks)}")
        if risk.behind_weeks is not None:
            found.append(f"{_weeks(risk.behind_weeks)} behind their plan")
    for low in report.low_confidence:
        levels = ", ".join(map(str, low.run))
        reasons.setdefault(low.display_name, []).append(
            f"confidence {LOW_CONFIDENCE} or lower ({levels}) in their last "
            f"{len(low.run)} check-ins"
        )
    for member in members:
        if member.dm_problem is not None and member.graduated_at is None:
            reasons.setdefault(member.display_name, []).append(
                f"unreachable by DM ({member.dm_problem})"
            )
    return tuple(RiskEntry(name, tuple(why)) for name, why in reasons.items())
