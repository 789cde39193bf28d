"""Streaks: consecutive ISO weeks with a check-in, and the freeze that forgives one missed week.

The rules, in the order a week is judged:

- a week with a check-in adds one to the streak;
- a paused week without one neither breaks nor extends it;
- a week still open for a check-in (this week, and last week until the window closes) waits;
- any other missed week spends the freeze of the phase the member was in that week, if the
  streak has something to save and that freeze is unspent; it neither breaks nor extends the
  streak. Each phase brings one freeze, and it is spent by itself: nobody has to ask.
- otherwise the streak is broken.

Weeks are judged oldest first, so a week's verdict never depends on what came after it. That
is what lets the points ledger, which only sees the weeks up to the latest check-in, award
exactly the streak lengths ``status`` shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.weeks import IsoWeek, week_of


@dataclass(frozen=True)
class Streak:
    length: int
    freeze_ready: bool  # the freeze of this week's phase is still unspent
    frozen: tuple[IsoWeek, ...] = ()  # missed weeks a freeze covered, oldest first
    # The length reached in each checked-in week, by week index: turned into weeks only when
    # asked for, since the scheduler walks years of weeks for thousands of members.
    reached_at: tuple[tuple[int, int], ...] = ()

    def reached(self) -> list[tuple[int, IsoWeek]]:
        """Each checked-in week with the length the streak reached in it, oldest first."""
        return [(length, IsoWeek.from_index(index)) for length, index in self.reached_at]


def streak(
    checkin_weeks: Iterable[IsoWeek],
    paused_weeks: Iterable[IsoWeek],
    this_week: IsoWeek,
    *,
    phase_starts: Iterable[IsoWeek] = (),
    open_from: IsoWeek | None = None,
) -> Streak:
    """The streak as of ``this_week``.

    ``phase_starts`` are the weeks in which the member entered phases 2, 3 and 4.
    ``open_from`` is the oldest week that may still get a check-in (``this_week`` when none
    is given); a missed week from it on, after the latest check-in, waits instead of counting.
    """
    done = {w.index for w in checkin_weeks if w <= this_week}
    paused = {w.index for w in paused_weeks}
    starts = sorted(w.index for w in phase_starts)
    first_open = (open_from or this_week).index
    if not done:
        return Streak(0, freeze_ready=True)
    last_done = max(done)
    spent: set[int] = set()
    frozen: list[int] = []
    reached: list[tuple[int, int]] = []
    run = 0
    for week in range(min(done), this_week.index + 1):
        if week in done:
            run += 1
            reached.append((run, week))
        elif week in paused or (week > last_done and week >= first_open):
            continue
        elif run and (phase := _phase(week, starts)) not in spent:
            spent.add(phase)
            frozen.append(week)
        else:
            run = 0
    return Streak(
        run,
        _phase(this_week.index, starts) not in spent,
        tuple(IsoWeek.from_index(w) for w in frozen),
        tuple(reached),
    )


def phase_start_weeks(advanced: Iterable[datetime], timezone: str) -> list[IsoWeek]:
    """The weeks, in the member's own timezone, in which they moved up a phase."""
    return [week_of(moment, timezone) for moment in advanced]


def _phase(week: int, starts: list[int]) -> int:
    """The phase a member was in during ``week``, from the weeks they moved up."""
    return 1 + sum(1 for start in starts if start <= week)
