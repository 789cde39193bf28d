"""The cohort chart: members per phase, pace against own plans, weekly check-in rate.

The PNG is byte-identical for the same numbers: a fixed size, dpi and style, the bundled
DejaVu font, and no metadata that carries a version or a date. Rendering takes tens of
milliseconds of CPU; it holds a lock because matplotlib's style settings are global, so the
scheduler may call it from a worker thread (``asyncio.to_thread``) while commands render too.

matplotlib is imported on the first chart, not at start: it is most of what an idle
``pivotbot serve`` would otherwise hold in memory, and only charts need it.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

from bot.services.cohort_stats import CohortStats
from bot.views.formatting import plural

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 3.4, 100
PHASE_COLOUR = "#4C72B0"
PACE_COLOURS = {"ahead": "#55A868", "on track": "#4C72B0", "behind": "#DD8452"}
RATE_COLOUR = "#8172B3"
_STYLE: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "path.simplify": True,
    "svg.hashsalt": "pivotbot",
}
_RENDER_LOCK = threading.Lock()


def chart_alt(stats: CohortStats) -> str:
    """The whole chart in words: the fallback for screen readers and text-only platforms."""
    phases = ", ".join(f"phase {n}: {c}" for n, c in enumerate(stats.per_phase, start=1))
    pace = ", ".join(f"{state}: {count}" for state, count in stats.pace)
    rates = ", ".join(
        f"{r.week.week:02d}: {round(100 * r.rate)}%{'' if r.complete else ' so far'}"
        for r in stats.weekly
        if r.rate is not None
    )
    return (
        f"Cohort {stats.cohort_name}, {plural(stats.members, 'member')} ({phases}). "
        f"Pace against their own plans — {pace}. "
        f"Weekly check-in rate by ISO week — {rates or 'no weeks yet'}."
    )


def render_cohort_chart(stats: CohortStats) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _RENDER_LOCK, matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(figure)
        phases, pace, weekly = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 2.2]})
        labels = [str(n) for n in range(1, len(stats.per_phase) + 1)]
        _bars(phases, labels, list(stats.per_phase), [PHASE_COLOUR] * len(labels))
        phases.set_title("Members per phase")
        phases.set_xlabel("phase")
        _bars(
            pace,
            [state for state, _ in stats.pace],
            [count for _, count in stats.pace],
            [PACE_COLOURS[state] for state, _ in stats.pace],
        )
        pace.set_title("Pace against own plan")
        _rates(weekly, stats)
        figure.suptitle(f"Cohort {stats.cohort_name} · {stats.this_week}", fontsize=11)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _bars(axes: Axes, labels: list[str], values: list[int], colours: list[str]) -> None:
    bars = axes.bar(labels, values, color=colours, width=0.6)
    axes.bar_label(bars, labels=[str(v) for v in values], padding=2)
    axes.set_ylim(0, max([*values, 1]) * 1.18)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)


def _rates(axes: Axes, stats: CohortStats) -> None:
    labels = [f"W{r.week.week:02d}" for r in stats.weekly]
    values = [100 * (r.rate or 0.0) for r in stats.weekly]
    bars = axes.bar(labels, values, color=RATE_COLOUR, width=0.7)
    for bar, rate in zip(bars, stats.weekly, strict=True):
        if not rate.complete:
            bar.set_alpha(0.45)
            bar.set_hatch("//")
    axes.bar_label(
        bars,
        labels=[
            "" if r.rate is None else f"{round(100 * r.rate)}%{'' if r.complete else '*'}"
            for r in stats.weekly
        ],
        padding=2,
        fontsize=7.5,
    )
    axes.set_ylim(0, 118)
    axes.set_yticks([0, 50, 100], labels=["0%", "50%", "100%"])
    axes.tick_params(axis="x", labelsize=7.5)
    axes.set_title("Weekly check-in rate (* this week, so far)")
