"""Streaks: consecutive ISO weeks with a check-in.

A week in which you were paused and did not check in is skipped: it neither breaks the streak
nor adds to it. The current week never breaks a streak, because it is not over yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.weeks import IsoWeek


def current_streak(
    checkin_weeks: Iterable[IsoWeek], paused_weeks: Iterable[IsoWeek], this_week: IsoWeek
) -> int:
    done = set(checkin_weeks)
    if not done:
        return 0
    paused = set(paused_weeks)
    earliest = min(done)
    week = this_week if this_week in done else this_week.previous()
    streak = 0
    while week >= earliest:
        if week in done:
            streak += 1
        elif week not in paused:
            break
        week = week.previous()
    return streak


def longest_streak(checkin_weeks: Iterable[IsoWeek], paused_weeks: Iterable[IsoWeek]) -> int:
    done = set(checkin_weeks)
    if not done:
        return 0
    paused = set(paused_weeks)
    best = run = 0
    week, last = min(done), max(done)
    while week <= last:
        if week in done:
            run += 1
            best = max(best, run)
        elif week not in paused:
            run = 0
        week = week.next()
    return best
