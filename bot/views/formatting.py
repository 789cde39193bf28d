"""Small shared text formats, so every reply writes dates and durations the same way."""

from __future__ import annotations

from datetime import date, datetime


def day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def hours(value: float) -> str:
    return f"{value:g}h"
