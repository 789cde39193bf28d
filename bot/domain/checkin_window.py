"""Which weeks a check-in may still be recorded for, and which week a nudge asks about.

A week is lived first and described after: what someone did is clearest once the week is
over, and Monday is when most of them have time to say it. So a week's check-in stays open
until the end of the Wednesday after it, in the member's own time; the nudge that lands on
Monday, Tuesday or Wednesday asks about the week just ended, and a later one about this week.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from bot.domain.weeks import IsoWeek

LATE_DAYS = 3  # Monday, Tuesday and Wednesday still take last week's check-in


def last_week_open(today: date) -> bool:
    """Whether last week's check-in may still be recorded or amended on ``today``."""
    return today.weekday() < LATE_DAYS


def closes_on(week: IsoWeek) -> date:
    """The last day on which ``week``'s check-in may be recorded: the Wednesday after it."""
    return week.next().monday() + timedelta(days=LATE_DAYS - 1)


def open_from(today: date) -> IsoWeek:
    """The oldest week still open for a check-in on ``today``."""
    this_week = IsoWeek.of(today)
    return this_week.previous() if last_week_open(today) else this_week


def last_week_recordable(today: date, plan_start: date) -> bool:
    """Last week may be checked in for: its window is open and the plan had begun by then."""
    return last_week_open(today) and IsoWeek.of(today).previous() >= IsoWeek.of(plan_start)


def nudge_week(today: date, plan_start: date, paused: Collection[IsoWeek] = ()) -> IsoWeek:
    """The week a nudge landing on ``today`` asks about.

    Monday to Wednesday it is the week just ended, unless the plan began only this week or
    the member was paused then: nobody is asked about a week off.
    """
    this_week = IsoWeek.of(today)
    last_week = this_week.previous()
    asks_last = last_week_recordable(today, plan_start) and last_week not in paused
    return last_week if asks_last else this_week
