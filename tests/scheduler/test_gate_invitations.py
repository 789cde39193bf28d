"""Gate invitations: sent when a member's gate opens, weekly until the quiz is taken, three
times at most; and the weekly post carries the real boards and the cohort chart."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.messages import Image
from bot.reply_codec import reply_from_dict
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, join_at, utc

REQUIRED_PHASE_1 = [
    "git-workflow",
    "write-tests",
    "cs-curriculum",
    "contribute-codebase",
    "web-service",
    "explain-service",
]


def _invites(outbox: RecordingOutbox, who: str) -> list[str]:
    return [t for t in outbox.texts_to(f"@{who}") if "Phase-gate quiz" in t]


async def test_finishing_the_milestones_opens_the_gate_and_invites_weekly_three_times(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, utc(2026, 12, 1, 12), "ada", "UTC")
    for key in REQUIRED_PHASE_1:
        await bot.say(f"/pivot done {key}")
    clock.set(utc(2026, 12, 7, 9, 30))
    for _ in range(5):
        await bot.say("/pivot checkin 4h steady")
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
    invites = _invites(outbox, "ada")
    assert len(invites) == 3
    assert "your phase 1 gate is open" in invites[0]
    assert "8 questions, one at a time; 80% passes." in invites[0]
    assert "[1] Start the quiz" in invites[0]
    assert "(a reminder)" in invites[1]


async def test_invitations_stop_once_the_quiz_is_taken(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, utc(2026, 12, 1, 12), "ada", "UTC")
    for key in REQUIRED_PHASE_1:
        await bot.say(f"/pivot done {key}")
    clock.set(utc(2026, 12, 7, 9, 30))
    await jobs.run_due()
    [invite] = await deliveries(bot.core, "gate")
    start = reply_from_dict(invite.payload).buttons[0]
    question = await bot.core.answer(bot.invocation(command=start.command, args=start.arg_dict))
    assert "question 1 of 8" in question.text
    clock.advance(timedelta(weeks=1))
    await jobs.run_due()
    assert len(_invites(outbox, "ada")) == 1


async def test_the_calendar_opens_the_gate_in_the_last_two_weeks_of_the_phase(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, utc(2026, 12, 1, 12), "ada", "UTC")  # plan starts 1 Dec 2026
    clock.set(utc(2027, 5, 10, 9, 30))  # a Monday three weeks before phase 1 ends (1 June)
    await bot.say("/pivot checkin 3h keeping the streak")
    await jobs.run_due()
    assert _invites(outbox, "ada") == []
    clock.set(utc(2027, 5, 24, 9, 30))  # inside the last two weeks
    await jobs.run_due()
    assert len(_invites(outbox, "ada")) == 1


async def test_a_fast_track_member_is_invited_to_the_placement_quiz(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    clock.set(utc(2026, 12, 1, 12))
    await bot.say("/pivot cohort create early start 2026-01-05", as_="olga")
    await bot.say("/pivot join early track fast", as_="fay")
    clock.set(utc(2026, 12, 7, 9, 30))
    await jobs.run_due()
    [invite] = _invites(outbox, "fay")
    assert "your placement quiz is waiting" in invite


async def test_the_weekly_post_carries_the_boards_and_the_chart(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join spring", as_="ada")
    await bot.say("/pivot checkin 6h built the notes API", as_="ada")
    clock.set(utc(2026, 12, 4, 16, 30))  # Friday, after the cohort's 16:00 slot
    await jobs.run_due()
    [post] = await deliveries(bot.core, "leaderboard")
    assert post.target_channel_id == "pivot-spring"
    assert post.payload == {}  # rendered as it was sent: the row names nobody
    [(target, reply)] = outbox.replies
    assert target == "#pivot-spring"
    assert "Weekly standings · cohort spring · 2026-W49" in reply.text
    assert "ada" in reply.text
    [chart] = [b for b in reply.blocks if isinstance(b, Image)]
    assert chart.png_bytes is not None
    assert chart.png_bytes.startswith(b"\x89PNG")
