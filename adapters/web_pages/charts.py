"""Charts as inline SVG, drawn on the server: they read with no script, no font and no asset
from another host, and print as sharply as the text around them.

This module does the geometry only; ``templates/chart.html.j2`` writes the markup, escaped like
every other template. Each chart is a ``<figure>``: the SVG is an image with a title and a
description, and the numbers behind it follow in a table inside ``<details>``, so a screen
reader or a printout loses nothing. Every mark a reader counts (a bar, a week, a phase) carries
``data-mark``, so a test can count them against the database. Colours come from the page's
stylesheet through classes: the pages carry no ``style`` attribute, which the
Content-Security-Policy would block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

WIDTH = 640  # the viewBox width every chart is drawn in; CSS scales it to the column
MAX_BAR = 84  # a bar no wider than this, so two bars don't read as two slabs


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first cell of each row heads it


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    mark: str | None = None  # data-mark, for what a reader counts
    state: str | None = None  # data-state
    tooltip: str | None = None
    rx: float = 0
    kind: Literal["rect"] = "rect"


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    css: str = "tick"
    anchor: Literal["start", "middle", "end"] = "start"
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str
    kind: Literal["line"] = "line"


@dataclass(frozen=True)
class Dot:
    cx: float
    cy: float
    r: float
    css: str
    mark: str | None = None
    kind: Literal["circle"] = "circle"


Shape = Rect | Label | Line | Dot


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    summary: str  # the description and caption: what the chart says, in one or two sentences
    height: int
    shapes: tuple[Shape, ...]
    table: Table
    hatch: bool = False  # defines the pattern paused weeks are filled with
    width: int = WIDTH
    legend: tuple[tuple[str, str], ...] = ()  # a fill's class and what it means, under the chart


@dataclass(frozen=True)
class Column:
    label: str  # under the bar, when labelled; always in the data table
    value: float | None  # None leaves the slot empty: nothing to draw
    text: str  # the value as a reader says it, for the tooltip and the value label
    css: str = "bar"
    mark: str = "bar"


def column_chart(
    chart_id: str,
    title: str,
    summary: str,
    columns: Sequence[Column],
    table: Table,
    *,
    top: float,
    top_label: str,
    label_every: int = 1,
    height: int = 220,
) -> Chart:
    """Vertical bars from a zero line with ``top`` at the top. With every column labelled,
    each bar also shows its value; in a long series only every ``label_every``-th is named."""
    left, bottom, head, right = 58, 40, 20, 22
    plot_w, plot_h = WIDTH - left - right, height - bottom - head
    base = head + plot_h
    slot = plot_w / max(len(columns), 1)
    gap = max(min(slot * 0.25, 14), slot - MAX_BAR)
    shapes: list[Shape] = [
        Line(left, base, WIDTH - right, base, "axis"),
        Line(left, head, WIDTH - right, head, "grid"),
        Label(left - 6, head + 4, top_label, anchor="end"),
        Label(left - 6, base + 4, "0", anchor="end"),
    ]
    for index, column in enumerate(columns):
        x = left + index * slot + gap / 2
        middle = x + (slot - gap) / 2
        if column.value is not None and top > 0:
            share = min(column.value, top) / top
            bar_h = max(plot_h * share, 2.0 if column.value > 0 else 0.0)
            shapes.append(
                Rect(
                    x,
                    base - bar_h,
                    slot - gap,
                    bar_h,
                    column.css,
                    column.mark,
                    tooltip=f"{column.label}: {column.text}",
                )
            )
            if label_every == 1:
                shapes.append(Label(middle, base - bar_h - 5, column.text, "value", "middle"))
        if index % label_every == 0:
            shapes.append(Label(middle, base + 18, column.label, anchor="middle"))
    return Chart(chart_id, title, summary, height, tuple(shapes), table)


@dataclass(frozen=True)
class Segment:
    label: str
    months: int
    css: str


def timeline(
    chart_id: str,
    title: str,
    summary: str,
    segments: Sequence[Segment],
    position: float | None,
    position_label: str,
    table: Table,
) -> Chart:
    """The phases end to end in proportion to their months, with a marker where one stands
    (``position`` in months from the start; None draws no marker)."""
    height, left, bar_y, bar_h = 122, 8, 50, 30
    total = sum(s.months for s in segments) or 1
    scale = (WIDTH - 2 * left) / total
    shapes: list[Shape] = []
    x = float(left)
    for segment in segments:
        width = segment.months * scale
        shapes.append(
            Rect(x, bar_y, width - 3, bar_h, segment.css, "phase", tooltip=segment.label, rx=4)
        )
        shapes.append(Label(x + 6, bar_y + bar_h + 22, segment.label, "segment-label"))
        x += width
    if position is not None:
        px = left + min(max(position, 0), total) * scale
        anchor: Literal["start", "middle", "end"] = (
            "start" if px < WIDTH * 0.2 else "end" if px > WIDTH * 0.8 else "middle"
        )
        shapes.append(Line(px, 30, px, bar_y + bar_h + 4, "marker"))
        shapes.append(Dot(px, 30, 6, "marker-dot", "position"))
        shapes.append(Label(px, 19, position_label, "marker-label", anchor))
    return Chart(chart_id, title, summary, height, tuple(shapes), table)


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    css: str
    state: str
    tooltip: str


CELL, CELL_GAP = 30, 6


def heat_map(
    chart_id: str,
    title: str,
    summary: str,
    column_labels: Sequence[str],
    cells: Sequence[Cell],
    legend: Sequence[tuple[str, str]],
    table: Table,
) -> Chart:
    """Weeks as squares, one column per month (its weeks top to bottom) as a wall calendar
    reads. The legend is drawn in HTML under the chart, where it wraps on a phone."""
    left, head, step = 4, 22, CELL + CELL_GAP
    rows = max((c.row for c in cells), default=0) + 1
    shapes: list[Shape] = [
        Label(left + i * step + CELL / 2, head - 8, text, "month", "middle")
        for i, text in enumerate(column_labels)
    ]
    shapes.extend(
        Rect(
            left + c.column * step,
            head + c.row * step,
            CELL,
            CELL,
            f"cell {c.css}",
            "week",
            c.state,
            c.tooltip,
            rx=4,
        )
        for c in cells
    )
    width = 2 * left + len(column_labels) * step - CELL_GAP
    return Chart(
        chart_id,
        title,
        summary,
        head + rows * step,
        tuple(shapes),
        table,
        hatch=True,
        width=width,
        legend=tuple(legend),
    )


def short_day(value: date) -> str:
    """An axis label: ``8 Feb``."""
    return f"{value.day} {value:%b}"
