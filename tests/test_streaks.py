"""Streaks and their freeze, the check-in window and the week a nudge asks about, as rules."""

from __future__ import annotations

from datetime import date

from bot.domain.checkin_window import (
    closes_on,
    last_week_open,
    last_week_recordable,
    nudge_week,
    open_from,
)
from bot.domain.points import streak_bonus_weeks
from bot.domain.streaks import streak
from bot.domain.weeks import IsoWeek


def run(first: IsoWeek, count: int) -> list[IsoWeek]:
    weeks = [first]
    while len(weeks) < count:
        weeks.append(weeks[-1].next())
    return weeks


def without(weeks: list[IsoWeek], *missed: IsoWeek) -> list[IsoWeek]:
    return [w for w in weeks if w not in missed]


W = IsoWeek


def test_a_streak_counts_consecutive_weeks_with_a_check_in() -> None:
    assert streak(run(W(2026, 40), 5), [], W(2026, 44)).length == 5


def test_the_current_week_does_not_break_a_streak_before_it_ends() -> None:
    assert streak(run(W(2026, 40), 3), [], W(2026, 43)).length == 3


def test_one_missed_week_is_covered_by_the_freeze_and_does_not_count() -> None:
    weeks = without(run(W(2026, 40), 5), W(2026, 42))
    result = streak(weeks, [], W(2026, 44))
    assert result.length == 4
    assert result.frozen == (W(2026, 42),)
    assert not result.freeze_ready


def test_a_second_missed_week_in_the_same_phase_breaks_the_streak() -> None:
    weeks = without(run(W(2026, 40), 8), W(2026, 42), W(2026, 45))
    result = streak(weeks, [], W(2026, 47))
    assert result.length == 2  # W46 and W47, after W45 broke it
    assert result.frozen == (W(2026, 42),)


def test_two_missed_weeks_in_a_row_spend_the_freeze_and_still_break() -> None:
    weeks = without(run(W(2026, 40), 6), W(2026, 42), W(2026, 43))
    assert streak(weeks, [], W(2026, 45)).length == 2


def test_each_phase_brings_its_own_freeze() -> None:
    weeks = without(run(W(2027, 1), 12), W(2027, 3), W(2027, 8))
    moved_up = [W(2027, 6)]  # phase 2 from W06
    result = streak(weeks, [], W(2027, 12), phase_starts=moved_up)
    assert result.length == 10
    assert result.frozen == (W(2027, 3), W(2027, 8))
    assert not result.freeze_ready
    assert streak(weeks, [], W(2027, 12)).length == 4  # in one phase, W08 breaks it


def test_the_freeze_is_ready_until_a_missed_week_needs_it() -> None:
    assert streak([], [], W(2027, 1)).freeze_ready
    assert streak(run(W(2027, 1), 3), [], W(2027, 3)).freeze_ready


def test_no_freeze_is_spent_when_there_is_no_streak_to_save() -> None:
    # W02 spends phase 1's freeze and W03 breaks the streak; phase 2 begins in W04, which is
    # missed with nothing to save, so phase 2's freeze is still there for W06.
    weeks = [W(2027, 1), W(2027, 5), W(2027, 7)]
    result = streak(weeks, [], W(2027, 7), phase_starts=[W(2027, 4)])
    assert result.frozen == (W(2027, 2), W(2027, 6))
    assert result.length == 2


def test_paused_weeks_neither_break_nor_extend_a_streak_nor_spend_the_freeze() -> None:
    before = run(W(2026, 40), 3)
    paused = [W(2026, 43), W(2026, 44)]
    result = streak([*before, W(2026, 45)], paused, W(2026, 45))
    assert result.length == 4
    assert result.freeze_ready


def test_last_week_waits_while_it_may_still_get_a_check_in() -> None:
    weeks = run(W(2027, 1), 4)  # W01-W04; W05 missing, now W06
    waiting = streak(weeks, [], W(2027, 6), open_from=W(2027, 5))
    assert (waiting.length, waiting.freeze_ready) == (4, True)
    closed = streak(weeks, [], W(2027, 6))
    assert (closed.length, closed.frozen) == (4, (W(2027, 5),))


def test_a_streak_runs_through_iso_week_53_and_the_freeze_covers_it() -> None:
    weeks = run(W(2026, 51), 5)  # W51, W52, W53, 2027-W01, W02
    assert weeks[2] == W(2026, 53)
    assert streak(weeks, [], W(2027, 2)).length == 5
    assert streak(without(weeks, W(2026, 53)), [], W(2027, 2)).length == 4


def test_streak_bonuses_are_earned_at_the_lengths_status_shows() -> None:
    weeks = without(run(W(2027, 1), 30), W(2027, 5), W(2027, 20))
    phase_starts = [W(2027, 15)]
    bonuses = streak_bonus_weeks(weeks, [], [4, 8, 26], phase_starts)
    walked = {
        week: length
        for length, week in streak(weeks, [], W(2027, 30), phase_starts=phase_starts).reached()
    }
    assert bonuses == [(4, W(2027, 4)), (8, W(2027, 9)), (26, W(2027, 28))]
    for length, week in bonuses:
        assert streak(weeks, [], week, phase_starts=phase_starts).length == length == walked[week]


def test_last_weeks_check_in_stays_open_until_the_end_of_wednesday() -> None:
    assert [last_week_open(date(2027, 1, d)) for d in range(4, 11)] == [
        True,  # Monday 4 January
        True,
        True,  # Wednesday
        False,
        False,
        False,
        False,
    ]
    assert closes_on(W(2027, 1)) == date(2027, 1, 13)
    assert open_from(date(2027, 1, 13)) == W(2027, 1)
    assert open_from(date(2027, 1, 14)) == W(2027, 2)


def test_a_nudge_early_in_the_week_asks_about_the_week_just_ended() -> None:
    start = date(2026, 11, 30)
    assert nudge_week(date(2027, 1, 4), start) == W(2026, 53)  # Monday: last week, W53
    assert nudge_week(date(2027, 1, 6), start) == W(2026, 53)  # Wednesday
    assert nudge_week(date(2027, 1, 7), start) == W(2027, 1)  # Thursday: this week


def test_a_nudge_never_asks_about_a_week_off() -> None:
    monday = date(2027, 1, 11)
    assert nudge_week(monday, date(2026, 11, 30), paused=[W(2027, 1)]) == W(2027, 2)


def test_a_nudge_never_asks_about_a_week_before_the_plan_began() -> None:
    assert nudge_week(date(2026, 11, 30), date(2026, 11, 30)) == W(2026, 49)
    assert not last_week_recordable(date(2026, 12, 1), date(2026, 11, 30))
    assert last_week_recordable(date(2026, 12, 7), date(2026, 12, 3))
