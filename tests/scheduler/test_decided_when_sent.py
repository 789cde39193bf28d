"""Whoever a message would name is decided when it is sent: a member who hides, leaves or
deletes their data after it was planned is not named by it (the weekly board's own case runs
over Slack in tests/slack/test_posts_decided_when_sent.py)."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.ports import RetryAfter, Undeliverable
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, join_at, utc
from tests.support.quiz import answer_all, finish_phase_milestones

MONDAY = utc(2026, 12, 7, 9, 30)
FRIDAY = utc(2026, 12, 11, 16, 30)  # after cohort early's 16:00 UTC slot


async def test_a_retried_admin_digest_never_names_a_member_who_deleted_their_data_meanwhile(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await join_at(bot, utc(2026, 12, 1, 12), "ada", "UTC")
    clock.set(MONDAY)
    outbox.answer = lambda target: Undeliverable("DMs closed") if target == "@ada" else None
    await jobs.run_due()  # ada's nudge bounces: the digest will name her as unreachable
    clock.set(FRIDAY)
    outbox.answer = lambda target: RetryAfter(30, "HTTP 429") if target == "@olga" else None
    _, first = await jobs.run_due()
    assert first.retried == 1
    [digest] = await deliveries(bot.core, "digest")
    # It keeps who it is about as ids alone: how it names them is decided when it goes.
    assert "ada" not in str(digest.payload).lower()

    await bot.say("/pivot forget confirm", as_="ada")
    outbox.answer = lambda _target: None
    clock.advance(timedelta(minutes=10))
    _, second = await jobs.run_due()
    assert second.withdrawn == 1  # nobody left to report
    assert not [text for _, text in outbox.sent if "ada" in text]
    [digest] = await deliveries(bot.core, "digest")
    assert digest.status == "withdrawn"


async def test_an_announcement_waiting_to_go_is_withdrawn_when_its_member_hides(
    bot: BotDriver, jobs: DueJobs, content: ContentLibrary, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    result = await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    assert "Welcome to phase 2" in result.text
    assert len(await deliveries(bot.core, "announcement")) == 1  # planned, not sent yet
    await bot.say("/pivot settings leaderboard hide")
    _, delivered = await jobs.run_due()
    assert delivered.withdrawn == 1
    assert outbox.texts_to("#pivot-spring") == []


async def test_an_announcement_goes_out_while_its_member_is_on_the_boards(
    bot: BotDriver, jobs: DueJobs, content: ContentLibrary, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join")
    await finish_phase_milestones(bot, content, 1)
    await answer_all(bot, await bot.say("/pivot quiz"), content, right=8)
    await jobs.run_due()
    [post] = outbox.texts_to("#pivot-spring")
    assert "ada passed the phase-1 gate" in post
