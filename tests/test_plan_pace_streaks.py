"""Plan months and pace against one's own plan, as plain rules (streaks: test_streaks.py)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.pace import Pace, pace_at, plan_marks
from bot.domain.plan import add_months, months_elapsed, phase_windows, plan_month, plan_start
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


def test_weeks_until_counts_week_53() -> None:
    assert IsoWeek(2026, 52).weeks_until(IsoWeek(2027, 1)) == 2
    assert IsoWeek(2027, 1).monday() - IsoWeek(2026, 52).monday() == timedelta(weeks=2)
