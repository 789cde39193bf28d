"""Small shared text formats, so every reply writes dates and durations the same way."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def hours(value: float) -> str:
    return f"{value:g}h"


def local_moment(value: datetime, timezone: str) -> str:
    """A moment as the member's own clock shows it: ``Monday 7 Dec 2026 at 09:14 (UTC)``."""
    local = value.astimezone(ZoneInfo(timezone))
    return f"{local:%A} {day(local)} at {local:%H:%M} ({timezone})"


def percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"
