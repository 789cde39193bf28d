"""When weekly things fall due, in the timezone of whoever receives them.

Slots are computed from the local calendar every time rather than by adding seven days to a
UTC instant, so a nudge at 09:00 stays at 09:00 local across daylight-saving changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.domain.checkin_window import closes_on
from bot.domain.weeks import IsoWeek, at_local_time, week_of

MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 3600.0


@dataclass(frozen=True)
class Slot:
    """One weekly occurrence: the ISO week it belongs to and its instant in UTC."""

    week: IsoWeek
    at: datetime


def slot_in_week(week: IsoWeek, weekday: int, wall: time, timezone: str) -> Slot:
    day = week.monday() + timedelta(days=weekday)
    return Slot(week, at_local_time(day, wall, timezone))


def latest_slot(now: datetime, weekday: int, wall: time, timezone: str) -> Slot:
    """The most recent slot at or before ``now``: this week's, or last week's if still ahead."""
    this_week = week_of(now, timezone)
    slot = slot_in_week(this_week, weekday, wall, timezone)
    return slot if slot.at <= now else slot_in_week(this_week.previous(), weekday, wall, timezone)


def next_slot(now: datetime, weekday: int, wall: time, timezone: str) -> Slot:
    this_week = week_of(now, timezone)
    slot = slot_in_week(this_week, weekday, wall, timezone)
    return slot if slot.at > now else slot_in_week(this_week.next(), weekday, wall, timezone)


def week_end(week: IsoWeek, timezone: str) -> datetime:
    """The instant the week ends locally (next Monday 00:00); after it a nudge is stale."""
    return at_local_time(week.next().monday(), time(0, 0), timezone)


def nudge_stale_after(asks: IsoWeek, week: IsoWeek, timezone: str) -> datetime:
    """A nudge about last week is stale once that week's check-in closes (Wednesday night);
    one about this week, once the week ends."""
    if asks < week:
        return at_local_time(closes_on(asks) + timedelta(days=1), time(0, 0), timezone)
    return week_end(week, timezone)


def retry_delay(attempts: int, retry_after: float, rng: random.Random) -> float:
    """At least what the platform asked for; exponential with jitter so retries spread out."""
    exponential: float = min(
        BASE_BACKOFF_SECONDS * 2.0 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS
    )
    return max(retry_after, exponential * rng.uniform(0.5, 1.0))
