"""The member roadmap's charts, from the page value: the phases as a timeline, a year of
check-ins as a calendar, hours per week and gate scores."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from adapters.web_pages.charts import (
    Cell,
    Chart,
    Column,
    Segment,
    Table,
    column_chart,
    heat_map,
    short_day,
    timeline,
)
from bot.pages import PhaseStep, RoadmapPage, WeekCell
from bot.views.formatting import day, hours, percent, plural

MONTH_DAYS = 365.25 / 12
HOUR_STEPS = (5, 10, 15)  # the calendar's shades: under 5h, 5-9h, 10-14h, 15h and more
_CSS = {"paused": "paused", "missed": "missed", "before the plan": "before", "to come": "to-come"}
_HOURS_LEGEND = (
    ("hours-1", "under 5h"),
    ("hours-2", "5–9h"),
    ("hours-3", "10–14h"),
    ("hours-4", "15h+"),
)


def roadmap_context(page: RoadmapPage) -> dict[str, Any]:
    return {
        "timeline_chart": timeline_chart(page),
        "calendar_chart": calendar_chart(page.weeks),
        "hours_chart": hours_chart(page.weeks),
        "attempts_chart": attempts_chart(page),
        "phase_where": phase_where,
    }


def phase_where(phase: PhaseStep) -> str:
    months = (
        f"Months {phase.first_month}–{phase.last_month}"
        if phase.last_month > phase.first_month
        else f"Month {phase.first_month}"
    )
    dates = f"{day(phase.starts_on)} to {day(phase.ends_on - timedelta(days=1))}"
    where = {"passed": "passed", "current": "you are here", "ahead": "ahead of you"}
    return f"{months} · {dates} · {where[phase.position]}"


def timeline_chart(page: RoadmapPage) -> Chart:
    segments = [
        Segment(f"Phase {p.number}", p.last_month - p.first_month + 1, f"phase-{p.position}")
        for p in page.phases
    ]
    start = page.phases[0].starts_on if page.phases else None
    position: float | None = None
    label = ""
    if page.graduated_on is not None:
        position, label = float(sum(s.months for s in segments)), "Graduated"
    elif start is not None and page.today is not None:
        position = max((page.today - start).days, 0) / MONTH_DAYS
        label = f"You · month {page.plan_month}"
    current = next((p for p in page.phases if p.position == "current"), None)
    summary = f"The four phases over {plural(page.plan_months, 'month')} of your plan. " + (
        f"You are in phase {current.number}, {current.title}, in month {page.plan_month}."
        if current is not None
        else "You have graduated: every phase is behind you."
    )
    return timeline(
        "timeline-chart",
        "Your plan's four phases",
        summary,
        segments,
        position,
        label,
        Table(
            "The phases on your plan",
            ("Phase", "Months", "Milestones done", "Where you are"),
            tuple(
                (
                    f"Phase {p.number}: {p.title}",
                    f"{p.first_month}–{p.last_month}",
                    f"{p.done} of {len(p.milestones)}",
                    phase_where(p).rsplit(" · ", 1)[-1],
                )
                for p in page.phases
            ),
        ),
    )


def _month_of(monday: date) -> date:
    """A week belongs to the month of its Thursday, as ISO weeks belong to years."""
    return (monday + timedelta(days=3)).replace(day=1)


def _shade(value: float | None) -> str:
    level = 1 + sum(1 for step in HOUR_STEPS if (value or 0) >= step)
    return f"hours-{level}"


def calendar_chart(weeks: tuple[WeekCell, ...]) -> Chart:
    months: list[date] = []
    cells = []
    row = 0
    for week in weeks:
        month = _month_of(week.monday)
        if not months or months[-1] != month:
            months.append(month)
            row = 0
        checked = week.mark == "checked in"
        said = f"{week.week}: " + (
            f"checked in, {hours(week.hours or 0)}" if checked else week.mark
        )
        cells.append(
            Cell(
                row,
                len(months) - 1,
                _shade(week.hours) if checked else _CSS[week.mark],
                week.mark,
                said,
            )
        )
        row += 1
    present = {w.mark for w in weeks}
    legend = list(_HOURS_LEGEND) + [
        (css, mark) for mark, css in _CSS.items() if mark in present and mark != "to come"
    ]
    counted = sum(1 for w in weeks if w.mark == "checked in")
    paused = sum(1 for w in weeks if w.mark == "paused")
    missed = sum(1 for w in weeks if w.mark == "missed")
    summary = (
        f"The last {plural(len(weeks), 'week')}, a column per month: "
        f"{plural(counted, 'week')} checked in, {plural(paused, 'week')} paused, "
        f"{missed} missed. Darker squares are weeks with more hours; hatched squares are pauses."
    )
    return heat_map(
        "calendar-chart",
        "A year of weekly check-ins",
        summary,
        [f"{m:%b}" for m in months],
        cells,
        legend,
        Table(
            "Every week of the year",
            ("Week", "Starts", "State", "Hours"),
            tuple(
                (
                    w.week,
                    day(w.monday),
                    w.mark,
                    hours(w.hours) if w.hours is not None else "—",
                )
                for w in weeks
            ),
        ),
    )


def hours_chart(weeks: tuple[WeekCell, ...]) -> Chart:
    checked = [w for w in weeks if w.mark == "checked in"]
    most = max((w.hours or 0 for w in checked), default=0)
    top = max(5, 5 * math.ceil(most / 5))
    total = sum(w.hours or 0 for w in checked)
    summary = f"Hours you reported each week over the last {plural(len(weeks), 'week')}: " + (
        f"{hours(round(total, 1))} in {plural(len(checked), 'check-in')}, "
        f"{hours(round(total / len(checked), 1))} a week on average when you checked in."
        if checked
        else "no check-ins yet."
    )
    return column_chart(
        "hours-chart",
        "Hours per week",
        summary,
        [
            Column(
                short_day(w.monday),
                w.hours if w.mark == "checked in" else None,
                hours(w.hours or 0),
            )
            for w in weeks
        ],
        Table(
            "Hours per checked-in week",
            ("Week", "Hours"),
            tuple((w.week, hours(w.hours or 0)) for w in checked),
        ),
        top=top,
        top_label=f"{top}h",
        label_every=13,
    )


def attempts_chart(page: RoadmapPage) -> Chart | None:
    if not page.attempts:
        return None
    columns = [
        Column(
            f"P{a.phase} #{a.number}",
            100 * a.correct / a.size if a.size else 0,
            f"{a.correct}/{a.size}",
            {"passed": "bar passed", "failed": "bar failed"}.get(a.outcome, "bar open"),
        )
        for a in page.attempts
    ]
    return column_chart(
        "attempts-chart",
        "Gate quiz scores",
        f"{plural(len(page.attempts), 'attempt')}, each bar the share of questions answered "
        "right; green passed, grey did not.",
        columns,
        Table(
            "Your gate quiz attempts",
            ("Attempt", "Kind", "Score", "Pass mark", "Outcome", "Finished"),
            tuple(
                (
                    f"Phase {a.phase}, attempt {a.number}",
                    a.kind,
                    f"{a.correct} of {a.size} ({percent(a.correct, a.size)})",
                    f"{a.pass_percent}%",
                    a.outcome,
                    day(a.finished_on) if a.finished_on else "—",
                )
                for a in page.attempts
            ),
        ),
        top=100,
        top_label="100%",
    )
