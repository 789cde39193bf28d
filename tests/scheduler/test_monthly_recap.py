"""Once a month of the plan, the week's nudge becomes a recap of the month just finished."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, join_at, utc

JOINED = utc(2026, 12, 1, 12)  # a Tuesday: month 2 starts on 1 January


async def _weekly(bot: BotDriver) -> list[tuple[str, str]]:
    return [
        (d.period or "", d.kind)
        for d in await deliveries(bot.core)
        if d.kind in ("nudge", "quiet", "recap")
    ]


async def test_the_recap_takes_the_place_of_that_weeks_nudge_once_a_month(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock
) -> None:
    await join_at(bot, JOINED, "ada", "UTC")
    clock.set(utc(2026, 12, 7, 9, 30))
    for _ in range(10):  # Mondays from 7 December to 8 February, every day of each week
        for _ in range(7):
            await bot.say("/pivot checkin 3h steady work")
            await jobs.run_due()
            clock.advance(timedelta(days=1))
    weekly = await _weekly(bot)
    assert [kind for _, kind in weekly].count("recap") == 2  # months 1 and 2 of the plan
    weeks = [week for week, _ in weekly]
    assert len(weeks) == len(set(weeks)), "one weekly message per week at most"
    recaps = [week for week, kind in weekly if kind == "recap"]
    # Months 2 and 3 begin on Friday 1 January (in 2026-W53) and Monday 1 February.
    assert recaps == ["2026-W53", "2027-W05"]


async def test_the_recap_sums_hours_milestones_pace_and_streak_of_the_month(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, JOINED, "ada", "UTC")
    clock.set(utc(2026, 12, 7, 8))
    await bot.say("/pivot done git-workflow https://github.com/ada/notes/pull/1")
    for hours in (4, 5, 6, 7):  # W50 to W53, all in month 1 (1 to 31 December)
        await bot.say(f"/pivot checkin {hours}h steady work")
        clock.advance(timedelta(weeks=1))
    clock.set(utc(2026, 12, 28, 8))
    await bot.say("/pivot done write-tests https://github.com/ada/notes/pull/2")
    clock.set(utc(2027, 1, 4, 9, 30))  # month 2, no check-in yet this week
    await jobs.run_due()
    [recap] = [t for t in outbox.texts_to("@ada") if "in numbers" in t]
    assert recap.startswith("Your month 1 of 24 in numbers")
    assert "here is 1 Dec 2026 to 31 Dec 2026" in recap
    assert "Hours: 22h this month (4 check-ins), 22h in all." in recap
    assert "Done this month: Use Git beyond commits, Write tests." in recap
    assert "2 of the roadmap's 24 required milestones are behind you" in recap
    assert "Pace: ahead by" in recap
    assert "(a month ago: on track)" in recap
    assert "Streak: 4 weeks." in recap
    assert "stands in for this week's nudge" in recap
    assert not [t for t in outbox.texts_to("@ada") if "time for your" in t]


async def test_a_quiet_member_gets_no_recap_only_the_gentle_notes(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, JOINED, "ada", "UTC")
    clock.set(utc(2026, 12, 7, 9, 30))
    for _ in range(12):
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
    kinds = [kind for _, kind in await _weekly(bot)]
    # Month 2 began in the fourth week, but by then the nudges had gone unanswered.
    assert kinds == ["nudge", "nudge", "nudge", "quiet", "nudge", "nudge"]
    assert not [t for t in outbox.texts_to("@ada") if "in numbers" in t]
