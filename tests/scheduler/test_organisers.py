"""What organisers see from the scheduler: a quiet week posts nothing, an archived cohort is
silent, members who join early are nudged from the start, and the admin digest says what
changed since the last one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.db.models import AuditEntry
from bot.messages import Reply
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, utc

FIRST_MONDAY = utc(2026, 11, 30, 9, 30)


async def _week(jobs: DueJobs, clock: ManualClock, monday: datetime) -> None:
    """Run the scheduler on the Monday morning and just after the Friday post."""
    clock.set(monday)
    await jobs.run_due()
    clock.set(monday + timedelta(days=4, hours=7))
    await jobs.run_due()


async def _weeks(jobs: DueJobs, clock: ManualClock, first: int, last: int) -> None:
    for number in range(first, last + 1):
        await _week(jobs, clock, FIRST_MONDAY + timedelta(weeks=number))


def _latest_digest(outbox: RecordingOutbox) -> Reply:
    """The last digest as sent, buttons and all (it names people only as it goes)."""
    return [reply for target, reply in outbox.replies if target == "@olga"][-1]


async def test_a_week_without_check_ins_posts_nothing(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join", as_="ada")
    await _weeks(jobs, clock, 0, 1)
    assert outbox.texts_to("#pivot-spring") == []
    assert await deliveries(bot.core, "leaderboard") == []
    clock.set(utc(2026, 12, 16, 12))
    await bot.say("/pivot checkin 2h back at it", as_="ada")
    await _weeks(jobs, clock, 2, 2)
    [post] = outbox.texts_to("#pivot-spring")
    assert "Weekly standings · cohort spring · 2026-W51" in post
    assert "No points yet" not in post


async def test_a_check_in_after_the_post_time_brings_no_late_post(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join", as_="ada")
    await _weeks(jobs, clock, 0, 0)
    await bot.say("/pivot checkin 2h on Friday evening", as_="ada")
    clock.advance(timedelta(hours=20))
    await jobs.run_due()
    assert outbox.texts_to("#pivot-spring") == []


async def test_an_archived_cohort_posts_and_nudges_nothing(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join", as_="ada")
    await bot.say("/pivot checkin 4h first week", as_="ada")
    # Two Mondays on, the nudge asks about the week without a check-in; it is queued, then the
    # cohort is archived before it goes.
    clock.set(FIRST_MONDAY + timedelta(weeks=2))
    await jobs.plan()
    await bot.say("/pivot cohort archive spring", as_="olga")
    await jobs.deliver()
    await _weeks(jobs, clock, 2, 7)
    assert outbox.sent == []
    [nudge] = await deliveries(bot.core, "nudge")
    assert (nudge.status, nudge.last_error) == ("cancelled", "cohort archived")


async def test_members_who_join_before_the_start_are_nudged_from_it(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot cohort create later start 2026-12-14", as_="olga")
    await bot.say("/pivot join later", as_="ada")
    await _weeks(jobs, clock, 0, 1)
    assert outbox.texts_to("@ada") == []
    await _weeks(jobs, clock, 2, 2)
    [nudge] = outbox.texts_to("@ada")
    assert "time for your 2026-W51 check-in" in nudge
    assert "Month 1 of 24" in nudge


async def test_the_digest_says_what_changed_and_followed_up_names_rest_four_weeks(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot join", as_="ada")
    await _weeks(jobs, clock, 0, 3)  # three nudges unanswered, then the quiet note
    [first] = outbox.texts_to("@olga")
    assert "admin digest for 2026-W52" in first
    assert "Newly quiet for three weeks or more: ada" in first
    assert "[1] Followed up ada" in first
    await _weeks(jobs, clock, 4, 4)
    second = outbox.texts_to("@olga")[-1]
    assert "Newly quiet" not in second
    assert "Still quiet, not followed up yet: ada" in second
    pressed = await bot.press(_latest_digest(outbox), "Followed up ada", as_="olga")
    assert "Noted: you followed up ada." in pressed.text
    assert "leaves them out until 29 Jan 2027 (4 weeks)" in pressed.text
    await _weeks(jobs, clock, 5, 8)  # four weeks of silence about ada
    assert len(outbox.texts_to("@olga")) == 2
    await _weeks(jobs, clock, 9, 9)
    assert "Still quiet, not followed up yet: ada" in outbox.texts_to("@olga")[-1]
    await bot.say("/pivot checkin 3h I'm back", as_="ada")
    await _weeks(jobs, clock, 10, 10)
    back = outbox.texts_to("@olga")[-1]
    assert "Back and checking in again: ada" in back
    assert "Followed up" not in back
    await _weeks(jobs, clock, 11, 11)
    assert len(outbox.texts_to("@olga")) == 4  # nothing changed: no digest


async def test_following_up_is_for_the_members_admins_only(bot: BotDriver) -> None:
    await bot.say("/pivot join", as_="ada")
    refused = await bot.say("/pivot cohort followup @ada", as_="bea")
    assert refused.is_error
    await bot.say("/pivot cohort create autumn", as_="olga")
    await bot.say("/pivot cohort admin add @bea autumn", as_="olga")  # bea runs another cohort
    other = await bot.say("/pivot cohort followup @ada", as_="bea")
    assert other.is_error
    assert "Only admins of cohort spring can change it." in other.text
    unknown = await bot.say("/pivot cohort followup @nobody", as_="olga")
    assert "nobody isn't in a cohort here" in unknown.text
    assert (
        "Noted: you followed up ada."
        in (await bot.say("/pivot cohort followup @ada", as_="olga")).text
    )
    async with bot.core.sessions() as session:
        entries = list(await session.execute(select(AuditEntry.action, AuditEntry.actor_user_id)))
    assert ("cohort followup", "olga") in [tuple(e) for e in entries]


async def test_an_unreachable_member_is_reported_once_not_every_week(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    from bot.ports import Undeliverable

    await bot.say("/pivot join", as_="ada")
    outbox.answer = lambda target: Undeliverable("DMs closed") if target == "@ada" else None
    await _weeks(jobs, clock, 0, 2)
    [digest] = outbox.texts_to("@olga")
    assert "DMs can't reach: ada (DMs closed)" in digest
    assert "[1] Followed up" not in digest  # nobody is quiet: there is no one to follow up
