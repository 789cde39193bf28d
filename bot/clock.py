"""Clocks: the real one, and a manual one that tests and the console move by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.weeks import SUPPORTED_DAYS, is_supported


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; ``:advance 1w`` in the console moves this.

    It refuses to leave the days the plan arithmetic handles, with a ``ValueError`` whose
    message can be shown as it is.
    """

    def __init__(self, start: datetime) -> None:
        self._now = supported_time(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        try:
            self._now = supported_time(self._now + delta)
        except OverflowError:
            raise ValueError(OUTSIDE) from None
        return self._now

    def set(self, when: datetime) -> None:
        self._now = supported_time(when)


OUTSIDE = f"the clock stays within {SUPPORTED_DAYS} (UTC)"


def supported_time(when: datetime) -> datetime:
    """``when`` in UTC, or a ``ValueError`` saying why a clock may not show it."""
    if when.tzinfo is None:
        raise ValueError("ManualClock needs an aware datetime")
    try:
        moment = when.astimezone(UTC)
    except OverflowError:
        raise ValueError(OUTSIDE) from None
    if not is_supported(moment.date()):
        raise ValueError(OUTSIDE)
    return moment
