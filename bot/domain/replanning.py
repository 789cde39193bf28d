"""Giving a plan more time: a re-plan from today, an extension by chosen months, a track
switch after either. Pure: spans in, spans out.

A plan is four phase spans counted in months from the plan's start, which never moves, so
"month N of M" keeps counting the member's real time. The phases behind the member keep
their places. The current phase restarts this month when its dates have passed (otherwise
its targets would all lie in the past again), and the phases after it follow at their own
lengths. No change ever leaves less time than the work still ahead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.plan import PhaseSpan

MAX_EXTENSION_MONTHS = 24


@dataclass(frozen=True)
class Remaining:
    """The work ahead in months: what the current phase still needs, and the phases after it."""

    this_phase: int
    later: int

    @property
    def months(self) -> int:
        return self.this_phase + self.later


def remaining_work(
    spans: Sequence[PhaseSpan], phase: int, missing: int, required: int
) -> Remaining:
    """The current phase needs its share of months for the required milestones still open
    (at least one month, for its gate quiz); later phases need their full lengths."""
    months = spans[phase - 1].months
    share = math.ceil(months * missing / required) if required else 0
    return Remaining(max(1, share), sum(span.months for span in spans[phase:]))


def restart_month(span: PhaseSpan, this_month: int, dates_passed: bool) -> int:
    """Where the current phase starts after a change: this month when its dates have passed,
    its own start otherwise. ``this_month`` counts from 0, as the span offsets do."""
    return max(span.offset, this_month) if dates_passed else span.offset


def _laid_out(
    spans: Sequence[PhaseSpan], phase: int, start: int, months: int
) -> tuple[PhaseSpan, ...]:
    current = PhaseSpan(start, months)
    after: list[PhaseSpan] = []
    offset = current.end
    for span in spans[phase:]:
        after.append(PhaseSpan(offset, span.months))
        offset += span.months
    return (*spans[: phase - 1], current, *after)


def replanned(
    spans: Sequence[PhaseSpan], phase: int, this_month: int, phase_months: int
) -> tuple[PhaseSpan, ...]:
    """A fresh start for the current phase this month, with its full length."""
    return _laid_out(spans, phase, max(spans[phase - 1].offset, this_month), phase_months)


def minimum_extension(
    spans: Sequence[PhaseSpan], phase: int, start: int, remaining: Remaining
) -> int:
    """The fewest months that leave room for the remaining work (one at least)."""
    return max(1, start + remaining.months - spans[-1].end)


def extended(
    spans: Sequence[PhaseSpan], phase: int, start: int, months: int
) -> tuple[PhaseSpan, ...]:
    """The plan ``months`` longer; the extra time goes to the current phase, which begins at
    ``start`` (see :func:`restart_month`)."""
    later = sum(span.months for span in spans[phase:])
    this_phase = spans[-1].end + months - start - later
    return _laid_out(spans, phase, start, this_phase)


def switched(
    spans: Sequence[PhaseSpan], phase: int, old: Sequence[int], new: Sequence[int]
) -> tuple[PhaseSpan, ...]:
    """A re-planned or extended plan moved to another track: the current phase keeps its
    start and gains (or loses) the difference between the two tracks' lengths for it, and the
    phases after it take the new track's lengths."""
    current = spans[phase - 1]
    months = max(1, current.months + new[phase - 1] - old[phase - 1])
    later = [PhaseSpan(0, m) for m in new[phase:]]
    return _laid_out([*spans[:phase], *later], phase, current.offset, months)
