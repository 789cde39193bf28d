"""Small shared text formats, so every reply writes dates, durations, counts and articles the
same way."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

_LEADING_NUMBER = re.compile(r"^(\d[\d,]*)")
# Words whose first letter misleads: "a unit", "a one-off", but "an hour", "an honest".
_SOUNDS_CONSONANT = ("uni", "use", "usu", "uti", "eu", "one", "once")
_SOUNDS_VOWEL = ("hour", "honest", "honour", "heir")


def day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def plural(count: int, noun: str) -> str:
    """``1 member``, ``3 members``: every count in a reply is written by this."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def with_article(phrase: str, *, capital: bool = False) -> str:
    """``phrase`` after "a" or "an", as it is said: an 8-week streak, an 18-month plan, a
    12-week streak, an hour, a unit test. ``capital`` starts a sentence: "An 18-month plan"."""
    article = _article(phrase)
    return f"{article.capitalize() if capital else article} {phrase}"


def _article(phrase: str) -> str:
    number = _LEADING_NUMBER.match(phrase)
    if number:
        digits = number[1].replace(",", "")
        # Said in groups of three: 11,000 is "eleven thousand", 8,500 "eight thousand".
        lead = digits[: len(digits) % 3 or 3]
        return "an" if lead.startswith("8") or lead in ("11", "18") else "a"
    word = phrase.lower()
    if word.startswith(_SOUNDS_VOWEL):
        return "an"
    if word.startswith(_SOUNDS_CONSONANT):
        return "a"
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"


def hours(value: float) -> str:
    return f"{value:g}h"


def local_moment(value: datetime, timezone: str) -> str:
    """A moment as the member's own clock shows it: ``Monday 7 Dec 2026 at 09:14 (UTC)``."""
    local = value.astimezone(ZoneInfo(timezone))
    return f"{local:%A} {day(local)} at {local:%H:%M} ({timezone})"


def percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"
