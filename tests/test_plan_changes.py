"""``replan`` and ``extend``: more time for a member the calendar has overtaken, never less than
the work still ahead, with "month N of M" counting their real time throughout."""

from __future__ import annotations

import re

from testkit.driver import BotDriver
from tests.scheduler.conftest import utc

MONTH = re.compile(r"Month (\d+) of (\d+)")


def months_in(text: str) -> list[tuple[int, int]]:
    return [(int(n), int(m)) for n, m in MONTH.findall(text)]


async def test_past_the_plans_end_status_says_so_once_and_offers_the_least_extension(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot done git-workflow https://github.com/ada/notes/pull/1")
    bot.clock.set(utc(2029, 1, 8, 9))  # month 26 of 24, still in phase 1
    status = await bot.say("/pivot status")
    assert months_in(status.text) == [(24, 24)]
    assert "Month 24 of 24 (past the plan's end)" in status.text
    # Phase 1 needs 6 x 5/6 = 5 months for its five open milestones, then 18 for the rest.
    assert "`/pivot extend 24`" in status.text
    assert "least the work ahead needs" in status.text


async def test_an_extension_below_the_work_ahead_is_refused_in_one_line(bot: BotDriver) -> None:
    await bot.say("/pivot join spring")
    bot.clock.set(utc(2029, 1, 8, 9))
    await bot.say("/pivot done git-workflow https://github.com/ada/notes/pull/1")
    refused = await bot.say("/pivot extend 6")
    assert refused.is_error
    assert refused.text == (
        "6 months is less than the work still ahead needs: at least 24. "
        "Example: `/pivot extend 24`."
    )
    await bot.say("/pivot undo git-workflow")
    too_far = await bot.say("/pivot extend 24")
    assert "at least 25. That is more than one extension gives: `/pivot replan`" in too_far.text
    status = await bot.say("/pivot status")
    assert "Give it more time with `/pivot replan`, a fresh plan from today." in status.text


async def test_an_extension_gives_the_months_to_the_current_phase_from_this_month(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join spring track fast")
    await bot.say("/pivot settings track standard")
    bot.clock.set(utc(2028, 12, 4, 9))  # month 25 of 24
    extended = await bot.say("/pivot extend 24")
    assert not extended.is_error, extended.text
    assert "Your plan is 24 months longer: 48 months in all." in extended.text
    assert months_in(extended.text) == [(25, 48)]
    assert "Next milestone: Use Git beyond commits (due " in extended.text
    assert "overdue" not in extended.text
    status = await bot.say("/pivot status")
    assert "Month 25 of 48 · standard track · on track" in status.text


async def test_a_re_plan_is_for_a_plan_whose_dates_have_passed(bot: BotDriver) -> None:
    await bot.say("/pivot join spring")
    on_track = await bot.say("/pivot replan")
    assert on_track.is_error
    assert "You're on track with your plan, so there's nothing to re-plan." in on_track.text
    bot.clock.set(utc(2027, 8, 2, 9))  # month 9, nothing done: months behind
    behind = await bot.say("/pivot status")
    assert "behind by" in behind.text
    replanned = await bot.say("/pivot replan")
    assert "A fresh plan from today: phase 1 gets its full 6 months again." in replanned.text
    assert months_in(replanned.text) == [(9, 32)]
    assert "on track" in replanned.text
    assert "Phase 1 now runs until 30 Jan 2028, and the whole plan until 30 Jul 2029" in (
        replanned.text
    )


async def test_switching_track_after_a_re_plan_keeps_the_fresh_start(bot: BotDriver) -> None:
    await bot.say("/pivot join spring")
    bot.clock.set(utc(2027, 8, 2, 9))
    await bot.say("/pivot replan")
    switched = await bot.say("/pivot settings track fast")
    assert "Phase 1 now runs until 30 Sep 2027" in switched.text
    status = await bot.say("/pivot status")
    assert months_in(status.text) == [(9, 26)]
