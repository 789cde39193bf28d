"""The rules for more time: a re-plan, an extension, a track switch after either. Pure."""

from __future__ import annotations

from datetime import date

from bot.domain.plan import PhaseSpan, phase_windows, span_windows, track_spans
from bot.domain.replanning import (
    extended,
    minimum_extension,
    remaining_work,
    replanned,
    restart_month,
    switched,
)

STANDARD = track_spans((6, 6, 6, 6))


def test_a_track_is_four_phases_end_to_end_and_gives_the_same_windows_as_before() -> None:
    assert (PhaseSpan(0, 6), PhaseSpan(6, 6), PhaseSpan(12, 6), PhaseSpan(18, 6)) == STANDARD
    start = date(2026, 11, 30)
    assert span_windows(start, STANDARD) == phase_windows(start, (6, 6, 6, 6))


def test_the_work_ahead_is_the_phases_share_for_what_is_missing_plus_the_later_phases() -> None:
    assert remaining_work(STANDARD, 2, missing=3, required=6).months == 3 + 12
    assert remaining_work(STANDARD, 4, missing=1, required=5).months == 2  # ceil(6/5)
    # Everything done but the gate: still a month for the quiz.
    assert remaining_work(STANDARD, 4, missing=0, required=5).this_phase == 1


def test_a_re_plan_restarts_the_current_phase_this_month_and_keeps_the_phases_behind() -> None:
    spans = replanned(STANDARD, 2, this_month=15, phase_months=6)
    assert spans == (PhaseSpan(0, 6), PhaseSpan(15, 6), PhaseSpan(21, 6), PhaseSpan(27, 6))
    assert spans[-1].end == 33  # nine months longer: the months that went by unused


def test_the_shortest_extension_leaves_room_for_the_work_ahead_and_never_less_than_one() -> None:
    # Month 26 of 24 (index 25), phase 3 with 4 of 6 milestones missing: 4 + 6 months ahead.
    remaining = remaining_work(STANDARD, 3, missing=4, required=6)
    start = restart_month(STANDARD[2], this_month=25, dates_passed=True)
    assert start == 25
    assert minimum_extension(STANDARD, 3, start, remaining) == 25 + 10 - 24
    ahead = remaining_work(STANDARD, 1, missing=1, required=6)
    assert minimum_extension(STANDARD, 1, 0, ahead) == 1


def test_an_extension_goes_to_the_current_phase_and_moves_the_later_ones() -> None:
    spans = extended(STANDARD, 3, start=25, months=11)
    assert spans == (PhaseSpan(0, 6), PhaseSpan(6, 6), PhaseSpan(25, 4), PhaseSpan(29, 6))
    assert spans[-1].end == 24 + 11
    # A phase whose dates have not passed keeps its start and simply grows.
    assert extended(STANDARD, 1, start=0, months=2)[:2] == (PhaseSpan(0, 8), PhaseSpan(8, 6))


def test_switching_track_after_a_re_plan_changes_the_current_phase_by_the_tracks_difference() -> (
    None
):
    mine = replanned(track_spans((2, 6, 6, 4)), 1, this_month=5, phase_months=2)
    spans = switched(mine, 1, old=(2, 6, 6, 4), new=(6, 6, 6, 6))
    assert spans == (PhaseSpan(5, 6), PhaseSpan(11, 6), PhaseSpan(17, 6), PhaseSpan(23, 6))
