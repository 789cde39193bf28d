"""A member's own plan: when it starts, which month it is, and where each phase falls."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

# A cohort starts at most this many months before or after the day it is created.
START_WINDOW_MONTHS = 12


def start_window(today: date) -> tuple[date, date]:
    """The first and last day a cohort created ``today`` may start on."""
    return add_months(today, -START_WINDOW_MONTHS), add_months(today, START_WINDOW_MONTHS)


def plan_start(joined_on: date, cohort_start: date) -> date:
    """Months count from joining, or from the cohort's start when that comes later.

    Never more than the start window ahead of joining, whatever a cohort row holds (one
    stored before starts were checked), so a plan's dates always stay within the calendar.
    """
    return max(joined_on, min(cohort_start, add_months(joined_on, START_WINDOW_MONTHS)))


def add_months(day: date, months: int) -> date:
    """Calendar months, clamping the day: 31 January plus one month is 28 or 29 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_elapsed(start: date, today: date) -> int:
    """Whole calendar months from ``start`` to ``today``; zero before the start."""
    if today <= start:
        return 0
    months = (today.year - start.year) * 12 + (today.month - start.month)
    if add_months(start, months) > today:
        months -= 1
    return months


def plan_month(start: date, today: date) -> int:
    """Month N of the plan, counting from 1 on the first day."""
    return months_elapsed(start, today) + 1


@dataclass(frozen=True)
class PhaseWindow:
    number: int
    starts_on: date
    ends_on: date  # exclusive

    @property
    def weeks(self) -> float:
        return (self.ends_on - self.starts_on).days / 7


@dataclass(frozen=True)
class PhaseSpan:
    """Where a phase lies in a plan, in whole months counted from the plan's start."""

    offset: int
    months: int

    @property
    def end(self) -> int:
        return self.offset + self.months


def track_spans(phase_months: tuple[int, ...]) -> tuple[PhaseSpan, ...]:
    """A track's phases, one after the other with no gap."""
    spans = []
    offset = 0
    for months in phase_months:
        spans.append(PhaseSpan(offset, months))
        offset += months
    return tuple(spans)


def span_windows(start: date, spans: tuple[PhaseSpan, ...]) -> tuple[PhaseWindow, ...]:
    return tuple(
        PhaseWindow(number, add_months(start, span.offset), add_months(start, span.end))
        for number, span in enumerate(spans, start=1)
    )


def phase_windows(start: date, phase_months: tuple[int, ...]) -> tuple[PhaseWindow, ...]:
    return span_windows(start, track_spans(phase_months))
