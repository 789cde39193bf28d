"""Plan months, pace against one's own plan, and streaks, as plain rules."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.pace import Pace, pace_at, plan_marks
from bot.domain.plan import add_months, months_elapsed, phase_windows, plan_month, plan_start
from bot.domain.streaks import current_streak, longest_streak
from bot.domain.weeks import IsoWeek


def test_months_count_from_joining_or_the_later_cohort_start() -> None:
    assert plan_start(date(2026, 11, 30), date(2027, 1, 4)) == date(2027, 1, 4)
    assert plan_start(date(2027, 2, 1), date(2027, 1, 4)) == date(2027, 2, 1)


def test_month_four_begins_three_calendar_months_after_the_start() -> None:
    start = date(2026, 11, 30)
    assert plan_month(start, start) == 1
    assert plan_month(start, date(2027, 2, 27)) == 3
    assert plan_month(start, date(2027, 2, 28)) == 4  # 30 Feb does not exist: clamped
    assert plan_month(start, date(2027, 3, 29)) == 4
    assert plan_month(start, date(2027, 3, 30)) == 5


def test_adding_a_month_to_the_31st_clamps_to_the_end_of_february() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert months_elapsed(date(2027, 1, 31), date(2027, 2, 28)) == 1


def test_phase_windows_follow_the_tracks_phase_lengths() -> None:
    standard = phase_windows(date(2026, 12, 1), (6, 6, 6, 6))
    fast = phase_windows(date(2026, 12, 1), (2, 6, 6, 4))
    assert [w.starts_on for w in standard] == [
        date(2026, 12, 1),
        date(2027, 6, 1),
        date(2027, 12, 1),
        date(2028, 6, 1),
    ]
    assert standard[-1].ends_on == date(2028, 12, 1)
    assert fast[1].starts_on == date(2027, 2, 1)
    assert fast[-1].ends_on == date(2028, 6, 1)  # 18 months


def test_pace_is_behind_by_the_weeks_since_the_next_milestone_was_due() -> None:
    targets = [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert pace_at(plan_marks(targets, 0), date(2027, 1, 22)) == Pace("behind", 3)
    assert pace_at(plan_marks(targets, 1), date(2027, 1, 22)) == Pace("on track")


def test_pace_is_ahead_by_the_weeks_until_the_last_milestone_done_was_due() -> None:
    targets = [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert pace_at(plan_marks(targets, 2), date(2027, 1, 11)) == Pace("ahead", 3)
    assert Pace("ahead", 3).describe() == "ahead by 3 weeks"
    assert Pace("behind", 1).describe() == "behind by 1 week"


def test_milestones_without_checkins_behind_them_keep_you_on_track_but_never_ahead() -> None:
    targets = [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    burst = plan_marks(targets, done=3, backed=0)
    assert pace_at(burst, date(2026, 12, 7)) == Pace("on track")
    assert pace_at(burst, date(2027, 3, 20)) == Pace("on track")  # nothing left undone
    one_backed = plan_marks(targets, done=2, backed=1)
    assert pace_at(one_backed, date(2026, 12, 4)) == Pace("ahead", 4)
    assert pace_at(one_backed, date(2027, 3, 8)) == Pace("behind", 1)


def test_less_than_a_week_either_way_is_on_track() -> None:
    targets = [date(2027, 1, 10)]
    assert pace_at(plan_marks(targets, 0), date(2027, 1, 15)) == Pace("on track")
    assert pace_at(plan_marks(targets, 1), date(2027, 1, 5)) == Pace("on track")


def _weeks(first: IsoWeek, count: int) -> list[IsoWeek]:
    weeks = [first]
    while len(weeks) < count:
        weeks.append(weeks[-1].next())
    return weeks


def test_a_streak_counts_consecutive_weeks_and_a_missed_week_breaks_it() -> None:
    weeks = _weeks(IsoWeek(2026, 40), 5)
    assert current_streak(weeks, [], IsoWeek(2026, 44)) == 5
    assert current_streak(weeks[:2] + weeks[3:], [], IsoWeek(2026, 44)) == 2


def test_the_current_week_does_not_break_a_streak_before_it_ends() -> None:
    weeks = _weeks(IsoWeek(2026, 40), 3)
    assert current_streak(weeks, [], IsoWeek(2026, 43)) == 3
    assert current_streak(weeks, [], IsoWeek(2026, 44)) == 0


def test_paused_weeks_neither_break_nor_extend_a_streak() -> None:
    before = _weeks(IsoWeek(2026, 40), 3)  # W40-W42
    paused = [IsoWeek(2026, 43), IsoWeek(2026, 44)]
    after = [IsoWeek(2026, 45)]
    assert current_streak(before + after, paused, IsoWeek(2026, 45)) == 4
    assert longest_streak(before + after, paused) == 4


def test_a_streak_runs_through_iso_week_53_into_the_new_year() -> None:
    weeks = _weeks(IsoWeek(2026, 51), 5)  # W51, W52, W53, 2027-W01, W02
    assert weeks[2] == IsoWeek(2026, 53)
    assert current_streak(weeks, [], IsoWeek(2027, 2)) == 5
    assert current_streak([w for w in weeks if w.week != 53], [], IsoWeek(2027, 2)) == 2


def test_weeks_until_counts_week_53() -> None:
    assert IsoWeek(2026, 52).weeks_until(IsoWeek(2027, 1)) == 2
    assert IsoWeek(2027, 1).monday() - IsoWeek(2026, 52).monday() == timedelta(weeks=2)
