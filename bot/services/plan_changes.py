"""How much more time a member's plan can get, read from their snapshot.

``replan`` and ``extend`` change the plan by these rules, and ``status``, the nudges and the
quiet-member notes offer exactly what those commands would accept, so an offer never names
a number the command then refuses.
"""

from __future__ import annotations

from bot.content.schema import Track
from bot.domain.plan import PhaseSpan
from bot.domain.replanning import (
    Remaining,
    extended,
    minimum_extension,
    remaining_work,
    replanned,
    restart_month,
    switched,
)
from bot.services.snapshot import Snapshot


def remaining(snapshot: Snapshot) -> Remaining:
    required = sum(1 for m in snapshot.phase_milestones if m.milestone.required)
    missing = len(snapshot.missing_required)
    return remaining_work(snapshot.spans, snapshot.phase.number, missing, required)


def dates_passed(snapshot: Snapshot) -> bool:
    """Whether the plan's dates for the current phase are behind the member: they are behind
    their plan, or the phase's window is over."""
    return snapshot.pace.state == "behind" or snapshot.today >= snapshot.window.ends_on


def may_replan(snapshot: Snapshot) -> bool:
    return snapshot.graduated_on is None and dates_passed(snapshot)


def _start(snapshot: Snapshot) -> int:
    span = snapshot.spans[snapshot.phase.number - 1]
    return restart_month(span, snapshot.this_month_index, dates_passed(snapshot))


def fewest_extra_months(snapshot: Snapshot) -> int:
    """The shortest extension ``extend`` accepts: room for the work still ahead."""
    phase = snapshot.phase.number
    return minimum_extension(snapshot.spans, phase, _start(snapshot), remaining(snapshot))


def replanned_spans(snapshot: Snapshot) -> tuple[PhaseSpan, ...]:
    phase = snapshot.phase.number
    months = snapshot.track.phase_months[phase - 1]
    return replanned(snapshot.spans, phase, snapshot.this_month_index, months)


def extended_spans(snapshot: Snapshot, months: int) -> tuple[PhaseSpan, ...]:
    return extended(snapshot.spans, snapshot.phase.number, _start(snapshot), months)


def switched_spans(snapshot: Snapshot, new: Track) -> tuple[PhaseSpan, ...]:
    old = snapshot.track.phase_months
    return switched(snapshot.spans, snapshot.phase.number, old, new.phase_months)


def stored(spans: tuple[PhaseSpan, ...]) -> list[list[int]]:
    """The form ``Member.phase_plan`` keeps."""
    return [[span.offset, span.months] for span in spans]


def longer_track(snapshot: Snapshot) -> Track | None:
    """The next longer track of the roadmap, for a member who would rather switch."""
    longer = [t for t in snapshot.roadmap.tracks if t.months > snapshot.track.months]
    return min(longer, key=lambda t: t.months) if longer else None
