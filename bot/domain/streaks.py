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
    done = {w.index for w in checkin_weeks}
    if not done:
        return 0
    paused = {w.index for w in paused_weeks}
    earliest = min(done)
    week = this_week.index if this_week.index in done else this_week.index - 1
    streak = 0
    while week >= earliest:
        if week in done:
            streak += 1
        elif week not in paused:
            break
        week -= 1
    return streak


def longest_streak(checkin_weeks: Iterable[IsoWeek], paused_weeks: Iterable[IsoWeek]) -> int:
    done = {w.index for w in checkin_weeks}
    if not done:
        return 0
    paused = {w.index for w in paused_weeks}
    best = run = 0
    for week in range(min(done), max(done) + 1):
        if week in done:
            run += 1
            best = max(best, run)
        elif week not in paused:
            run = 0
    return best
