"""The cohort dashboard's charts, from the page value: phases, pace, check-ins and gates."""

from __future__ import annotations

import math
from typing import Any

from adapters.web_pages.charts import Chart, Column, Table, column_chart, short_day
from bot.pages import DashboardPage, GatePassRate
from bot.views.formatting import day, percent, plural

LABELLED_WEEKS = 8  # a long series names about this many weeks under its bars


def dashboard_context(page: DashboardPage) -> dict[str, Any]:
    passed = sum(g.passed for g in page.gates)
    attempts = sum(g.attempts for g in page.gates)
    return {
        "recent_rate": percent(page.recent_rate, 1) if page.recent_rate is not None else "—",
        "gates_passed": f"{passed} of {attempts}" if attempts else "none yet",
        "phases_chart": phases_chart(page),
        "pace_chart": pace_chart(page),
        "weekly_chart": weekly_chart(page),
        "gates_chart": gates_chart(page.gates),
    }


def phases_chart(page: DashboardPage) -> Chart:
    counts = page.per_phase
    summary = f"{plural(sum(counts), 'active member')}: " + ", ".join(
        f"phase {n}: {c}" for n, c in enumerate(counts, start=1)
    )
    return column_chart(
        "phases-chart",
        "Members per phase",
        summary + ".",
        [Column(f"Phase {n}", c, str(c)) for n, c in enumerate(counts, start=1)],
        Table(
            "Members per phase",
            ("Phase", "Members"),
            tuple((f"Phase {n}", str(c)) for n, c in enumerate(counts, start=1)),
        ),
        top=max(max(counts, default=0), 1),
        top_label=str(max(max(counts, default=0), 1)),
    )


def pace_chart(page: DashboardPage) -> Chart:
    bands = page.pace_bands
    on_plan = sum(b.count for b in bands)
    summary = (
        f"How far each of {plural(on_plan, 'member')} on a plan stands from their own plan's "
        "dates, counted in bands, never ranked: "
        + ", ".join(f"{b.label}: {b.count}" for b in bands)
        + "."
    )
    top = max((b.count for b in bands), default=0) or 1
    return column_chart(
        "pace-chart",
        "Pace against plan, in weeks",
        summary,
        [
            Column(
                b.label.replace(" weeks", ""),
                b.count,
                str(b.count),
                f"bar {b.state.replace(' ', '-')}",
            )
            for b in bands
        ],
        Table(
            "Members per pace band",
            ("Pace", "Members"),
            tuple((b.label, str(b.count)) for b in bands),
        ),
        top=top,
        top_label=str(top),
    )


def weekly_chart(page: DashboardPage) -> Chart:
    weeks = page.weekly
    every = max(1, math.ceil(len(weeks) / LABELLED_WEEKS)) if len(weeks) > 12 else 1
    columns = []
    rows = []
    for w in weeks:
        so_far = "" if w.complete else " so far"
        text = f"{percent(w.checked_in, w.expected)}{so_far}" if w.expected else "no one expected"
        columns.append(
            Column(
                short_day(w.monday) if every > 1 else w.week[-3:],
                100 * w.rate if w.rate is not None else None,
                text,
            )
        )
        rows.append((f"{w.week} (from {day(w.monday)})", str(w.checked_in), str(w.expected), text))
    rated = [w for w in weeks if w.expected]
    summary = (
        f"The share of expected members who checked in, each week of the cohort's "
        f"{plural(len(weeks), 'week')}"
        + (
            f"; the last {plural(page.recent_weeks, 'complete week')} together: "
            f"{percent(page.recent_rate, 1)}."
            if page.recent_rate is not None
            else "."
        )
        + (" Members on a pause are not expected." if rated else "")
    )
    return column_chart(
        "weekly-chart",
        "Weekly check-in rate over the cohort's life",
        summary,
        columns,
        Table("Check-ins per week", ("Week", "Checked in", "Expected", "Rate"), tuple(rows)),
        top=100,
        top_label="100%",
        label_every=every,
        height=240,
    )


ORDINAL_SHORT = {"1st attempts": "1st", "2nd attempts": "2nd", "3rd or later": "3rd+"}


def gates_chart(gates: tuple[GatePassRate, ...]) -> Chart | None:
    """A bar for each phase and attempt with any tries: the share that passed."""
    columns = [
        Column(
            f"P{g.phase} {ORDINAL_SHORT.get(a.label, a.label)}",
            100 * a.passed / a.attempts,
            f"{a.passed} of {a.attempts}",
            "bar passed",
        )
        for g in gates
        for a in g.by_attempt
        if a.attempts
    ]
    if not columns:
        return None
    rows = tuple(
        (
            f"Phase {g.phase} gate",
            str(g.attempts),
            f"{g.passed} ({percent(g.passed, g.attempts)})" if g.attempts else "—",
            str(g.members_passed),
            "; ".join(
                f"{a.label}: {a.passed} of {a.attempts} ({percent(a.passed, a.attempts)})"
                for a in g.by_attempt
            )
            or "no attempts",
        )
        for g in gates
    )
    return column_chart(
        "gates-chart",
        "Gate pass rates by phase and attempt",
        "The share of gate attempts that passed, for each phase and for first, second and "
        "later attempts; each bar is labelled with passes out of attempts.",
        columns,
        Table(
            "Gate pass rates",
            ("Gate", "Attempts", "Passed", "Members through", "By attempt"),
            rows,
        ),
        top=100,
        top_label="100%",
    )
