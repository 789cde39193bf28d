"""Graduation ends the plan: no nudge, gate, recap or board entry after it, and the member
becomes an alumnus who may choose to stay visible to the cohort."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.messages import Attachment
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, utc
from tests.support.quiz import answer_all, finish_phase_milestones

LAST = "job-search"  # the last required milestone of phase 4


async def graduate(bot: BotDriver, content: ContentLibrary, name: str = "ada") -> None:
    for phase in (1, 2, 3, 4):
        await finish_phase_milestones(bot, content, phase, as_=name)
        started = await bot.say("/pivot quiz", as_=name)
        finished = await answer_all(bot, started, content, right=8, as_=name)
        assert "passed" in finished.text, finished.text
    assert "final gate" in finished.text


async def test_after_graduation_no_nudge_gate_or_recap_comes_and_the_boards_leave_them_off(
    bot: BotDriver,
    jobs: DueJobs,
    clock: ManualClock,
    content: ContentLibrary,
    outbox: RecordingOutbox,
) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot join spring", as_="grace")
    await graduate(bot, content)
    await bot.say("/pivot checkin 2h a last note for the record")
    clock.set(utc(2026, 12, 7, 9, 30))
    for _ in range(10):  # into month 3, when recaps would come, with a Friday post each week
        await bot.say("/pivot checkin 3h still on her plan", as_="grace")
        for _ in range(7):
            await jobs.run_due()
            clock.advance(timedelta(days=1))
    to_ada = outbox.texts_to("@ada")
    assert to_ada == [], to_ada
    posts = outbox.texts_to("#pivot-spring")
    assert posts
    assert all("ada" not in post for post in posts if "Weekly standings" in post)
    assert any("grace" in post for post in posts)  # grace is still on her plan
    status = await bot.say("/pivot status")
    assert "Graduated on 30 Nov 2026 · standard track" in status.text
    assert "Month" not in status.text
    assert "Check in for this week" not in status.text


async def test_a_nudge_planned_before_graduation_is_never_sent(
    bot: BotDriver,
    jobs: DueJobs,
    clock: ManualClock,
    content: ContentLibrary,
    outbox: RecordingOutbox,
) -> None:
    await bot.say("/pivot join spring")
    clock.set(utc(2026, 12, 7, 9, 30))
    assert (await jobs.plan()).by_kind["nudge"] == 1
    await graduate(bot, content)
    await jobs.deliver()
    assert not [t for t in outbox.texts_to("@ada") if "time for your" in t]
    [nudge] = await deliveries(bot.core, "nudge")
    assert nudge.status == "cancelled"


async def test_an_alumnus_who_opts_in_is_a_line_in_the_weekly_post_never_a_rank(
    bot: BotDriver,
    jobs: DueJobs,
    clock: ManualClock,
    content: ContentLibrary,
    outbox: RecordingOutbox,
) -> None:
    for name in ("ada", "linus"):
        await bot.say("/pivot join spring", as_=name)
        await graduate(bot, content, name)
    shown = await bot.say("/pivot settings alumni show")
    assert "lists you among the cohort's alumni" in shown.text
    assert "Alumni line: shown" in shown.text
    await bot.say("/pivot settings leaderboard hide", as_="linus")
    hidden = await bot.say("/pivot settings alumni show", as_="linus")
    assert "hidden from leaderboards, and that wins" in hidden.text
    # A week with a check-in in it, so the cohort posts at all.
    await bot.say("/pivot join spring", as_="grace")
    await bot.say("/pivot checkin 2h first week", as_="grace")
    clock.set(utc(2026, 12, 4, 16, 30))  # the Friday post
    await jobs.run_due()
    [post] = [p for p in outbox.texts_to("#pivot-spring") if "Weekly standings" in p]
    assert "Alumni of cohort spring: ada (graduated Nov 2026)." in post
    assert "linus" not in post
    assert "1. ada" not in post


async def test_taking_back_and_redoing_the_last_milestone_never_offers_the_final_gate_again(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await bot.say("/pivot join spring")
    await graduate(bot, content)
    await bot.say(f"/pivot undo {LAST}")
    again = await bot.say(f"/pivot done {LAST} https://example.org/offer")
    assert "gate" not in again.text
    assert [b.label for b in again.buttons] == ["Milestones", "Status"]
    assert "Graduated on" in again.text
    quiz = await bot.say("/pivot quiz")
    assert "the roadmap is complete" in quiz.text


async def test_a_graduates_history_and_export_stay(bot: BotDriver, content: ContentLibrary) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot checkin 6h the first week")
    await graduate(bot, content)
    exported = await bot.say("/pivot export")
    [attachment] = [b for b in exported.blocks if isinstance(b, Attachment)]
    data = json.loads(attachment.content)
    assert data["member"]["graduated_at"] is not None
    assert [c["summary"] for c in data["checkins"]] == ["the first week"]
    assert len(data["milestones"]) >= 20
