"""The pure gate rule, the reproducible draw and the pass mark."""

from __future__ import annotations

from datetime import date

from bot.domain.gates import calendar_opens_on, gate_open
from bot.domain.plan import PhaseWindow, phase_windows
from bot.domain.quiz import attempt_seed, draw, needed_to_pass, passes, score_percent

STANDARD = phase_windows(date(2026, 11, 30), (6, 6, 6, 6))
FAST = phase_windows(date(2026, 11, 30), (2, 6, 6, 4))


def test_gate_is_closed_early_in_the_phase_with_milestones_missing():
    gate = gate_open(STANDARD[0], date(2027, 1, 10), ["write-tests"])
    assert not gate.is_open
    assert gate.calendar_opens_on == date(2027, 5, 16)
    assert gate.missing == ("write-tests",)


def test_gate_opens_by_the_calendar_in_the_last_two_weeks_of_the_phase():
    assert STANDARD[0].ends_on == date(2027, 5, 30)
    assert not gate_open(STANDARD[0], date(2027, 5, 15), ["x"]).is_open
    opened = gate_open(STANDARD[0], date(2027, 5, 16), ["x"])
    assert opened.is_open
    assert opened.opened_by == "calendar"


def test_gate_stays_open_for_a_member_behind_their_plan():
    assert gate_open(STANDARD[0], date(2027, 9, 1), ["x"]).opened_by == "calendar"


def test_gate_opens_as_soon_as_every_required_milestone_is_done():
    gate = gate_open(STANDARD[1], date(2027, 6, 1), [])
    assert gate.is_open
    assert gate.opened_by == "milestones"


def test_the_fast_track_gate_window_follows_its_two_month_first_phase():
    assert calendar_opens_on(FAST[0]) == date(2027, 1, 16)
    assert gate_open(FAST[0], date(2027, 1, 16), ["x"]).is_open


def test_a_phase_shorter_than_two_weeks_opens_at_its_start():
    short = PhaseWindow(1, date(2027, 1, 1), date(2027, 1, 8))
    assert calendar_opens_on(short) == date(2027, 1, 1)


def test_the_same_seed_draws_the_same_questions_in_the_same_order():
    bank = [(f"q{i}", 4) for i in range(20)]
    seed = attempt_seed("standard", 7, 1, 1)
    assert draw(bank, 8, seed) == draw(bank, 8, seed)
    assert seed == attempt_seed("standard", 7, 1, 1)


def test_a_draw_never_repeats_a_question_and_a_retake_draws_anew():
    bank = [(f"q{i}", 4) for i in range(20)]
    first = draw(bank, 8, attempt_seed("standard", 7, 1, 1))
    second = draw(bank, 8, attempt_seed("standard", 7, 1, 2))
    assert len({q.question_id for q in first}) == 8
    assert [q.question_id for q in first] != [q.question_id for q in second]
    assert all(sorted(q.order) == [0, 1, 2, 3] for q in first)


def test_a_small_bank_gives_every_question_it_has():
    assert len(draw([("a", 3), ("b", 3)], 8, 1)) == 2


def test_pass_mark_of_80_percent_needs_7_of_8():
    assert needed_to_pass(8, 80) == 7
    assert passes(7, 8, 80)
    assert not passes(6, 8, 80)


def test_a_shown_score_reaches_the_pass_mark_exactly_when_it_passes():
    for size in range(3, 16):
        for pass_percent in range(50, 101):
            for correct in range(size + 1):
                shown_passes = score_percent(correct, size) >= pass_percent
                assert shown_passes == passes(correct, size, pass_percent)
