"""The patterns of the admin report as plain rules: shared blockers, low confidence, hours."""

from __future__ import annotations

from bot.domain.cohort_signals import (
    HoursSpread,
    SharedBlocker,
    hours_spread,
    low_confidence_run,
    shared_blockers,
)


def test_a_blocker_named_by_two_members_is_shared_in_their_own_words() -> None:
    shared = shared_blockers(
        {
            "ada": ["docker networking", "flaky tests"],
            "grace": ["Blocked on Docker networking, again"],
            "linus": ["docker compose volumes"],
        }
    )
    assert shared == (
        SharedBlocker("docker", ("ada", "grace", "linus")),
        SharedBlocker("docker networking", ("ada", "grace")),
    )


def test_filler_words_and_one_members_repeats_are_not_a_shared_blocker() -> None:
    assert shared_blockers({"ada": ["docker", "docker"], "grace": ["none"], "eli": ["n/a"]}) == ()
    assert shared_blockers({"ada": ["still stuck on it"], "bo": ["stuck with this issue"]}) == ()


def test_low_confidence_counts_only_the_latest_unbroken_run() -> None:
    assert low_confidence_run([2, 1]) == (2, 1)
    assert low_confidence_run([1, 2, None, 2]) == (1, 2, 2)
    assert low_confidence_run([1, 1, 3]) == ()  # back up: nothing to flag
    assert low_confidence_run([4, 2]) == ()  # one low week is not a pattern yet
    assert low_confidence_run([None, None]) == ()


def test_hours_spread_is_the_median_and_the_range() -> None:
    assert hours_spread([0, 20, 5, 12.5]) == HoursSpread(8.75, 0, 20, 4)
    assert hours_spread([6]) == HoursSpread(6, 6, 6, 1)
    assert hours_spread([]) is None
