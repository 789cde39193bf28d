"""ISO weeks in a member's own timezone, and local wall-clock times that survive DST changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")

# The days any date or clock may fall on. A plan reaches a few years past its start (its
# months, an extension, pauses, gate cool-downs) and looks back a few weeks; inside these
# bounds none of that arithmetic can leave the years ``date`` holds, and every ISO week keeps
# its four-digit year.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9899, 12, 31)
SUPPORTED_DAYS = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


def is_supported(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week; some years (2026 among them) have a week 53."""

    year: int
    week: int

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        return _parse_week(text)

    @cached_property
    def index(self) -> int:
        """Weeks since an arbitrary origin: consecutive weeks differ by one, across years.

        Streaks walk years of weeks for thousands of members; integers make that cheap.
        """
        return _first_week_index(self.year) + self.week - 1

    @classmethod
    def from_index(cls, index: int) -> IsoWeek:
        return cls.of(date.fromordinal(index * 7 + 1))

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def sunday(self) -> date:
        return self.monday() + timedelta(days=6)

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday() + timedelta(days=7))

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday() - timedelta(days=7))

    def weeks_until(self, other: IsoWeek) -> int:
        """How many weeks ``other`` lies after this one (negative when before)."""
        return (other.monday() - self.monday()).days // 7


@lru_cache(maxsize=8192)
def _parse_week(text: str) -> IsoWeek:
    """Cached: the scheduler parses years of stored weeks for every member it plans, and
    there are only about fifty distinct weeks a year."""
    match = _WEEK.match(text)
    if not match:
        raise ValueError(f"not an ISO week: {text!r}")
    year, week = int(match[1]), int(match[2])
    if not 1 <= week <= _weeks_in_year(year):
        raise ValueError(f"{year} has no ISO week {week}")
    return IsoWeek(year, week)


@lru_cache(maxsize=512)
def _weeks_in_year(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


@lru_cache(maxsize=512)
def _first_week_index(year: int) -> int:
    return (date.fromisocalendar(year, 1, 1).toordinal() - 1) // 7


def local_now(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def local_date(moment: datetime, timezone: str) -> date:
    return local_now(moment, timezone).date()


def week_of(moment: datetime, timezone: str) -> IsoWeek:
    return IsoWeek.of(local_date(moment, timezone))


def weeks_spanned(start: date, end_exclusive: date) -> set[IsoWeek]:
    """Every ISO week touched by the days in ``[start, end_exclusive)``."""
    weeks: set[IsoWeek] = set()
    day = start
    while day < end_exclusive:
        weeks.add(IsoWeek.of(day))
        day += timedelta(days=7 - day.weekday()) if day.weekday() else timedelta(days=7)
    if start < end_exclusive:
        weeks.add(IsoWeek.of(end_exclusive - timedelta(days=1)))
    return weeks


def at_local_time(day: date, wall: time, timezone: str) -> datetime:
    """The UTC instant at which ``day`` shows ``wall`` in ``timezone``.

    A wall time skipped by a spring-forward change moves forward by the gap (09:30 that does
    not exist becomes 10:30 in a one-hour gap); a repeated one in autumn takes the first.
    """
    # fold=0 reads a wall time with the offset in force before a change, which gives exactly
    # that: forward through a gap, the first of two repeated hours.
    return datetime.combine(day, wall, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_name(index: int) -> str:
    return WEEKDAYS[index].capitalize()
