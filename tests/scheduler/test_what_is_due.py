"""What the planner decides to send, and to whom it sends nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.clock import ManualClock
from bot.db.models import Member
from bot.reply_codec import reply_from_dict
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.scheduler.conftest import deliveries, join_at, utc

MONDAY = utc(2026, 12, 7, 9, 30)  # after 09:00 in UTC on a Monday


async def _join_and_go_to_monday(bot: BotDriver, *names: str) -> None:
    for name in names:
        await join_at(bot, utc(2026, 12, 1, 12), name, "UTC")
    bot.clock.set(MONDAY)


async def test_a_nudge_names_the_focus_pace_and_streak_with_a_checkin_button(
    bot: BotDriver, jobs: DueJobs, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    planned, delivered = await jobs.run_due()
    assert planned.by_kind["nudge"] == 1
    assert delivered.sent == planned.total
    [text] = outbox.texts_to("@ada")
    assert "This week's focus: Use Git beyond commits" in text
    assert "on track" in text


async def test_a_monday_nudge_asks_about_the_week_just_ended_and_its_button_records_it(
    bot: BotDriver, jobs: DueJobs, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    await jobs.run_due()
    [text] = outbox.texts_to("@ada")
    assert text.startswith("Hi ada, how did last week (2026-W49) go?")
    assert "`/pivot checkin last 5h what you did | blockers`" in text
    assert "open until Wednesday 9 Dec 2026" in text
    assert "[1] Check in for last week" in text
    [nudge] = await deliveries(bot.core, "nudge")
    button = next(b for b in reply_from_dict(nudge.payload).buttons if b.command == "checkin")
    answer = await bot.core.answer(
        bot.invocation(command="checkin", args={**button.arg_dict, "hours": 4, "summary": "tests"})
    )
    assert answer.text.startswith("Checked in for 2026-W49 (last week): 4h — tests")


async def test_a_nudge_later_in_the_week_asks_about_this_week(
    bot: BotDriver, jobs: DueJobs, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    await bot.say("/pivot settings nudge thursday 09:00")
    bot.clock.set(MONDAY + timedelta(days=3))
    await jobs.run_due()
    [text] = outbox.texts_to("@ada")
    assert text.startswith("Hi ada, time for your 2026-W50 check-in")
    assert "[1] Check in  [2] Status" in text


async def test_after_a_pause_the_first_nudge_asks_about_the_new_week_not_the_week_off(
    bot: BotDriver, jobs: DueJobs, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    await bot.say("/pivot checkin last 3h before the break")  # W49
    await bot.say("/pivot pause 1")  # W50 off, until next Monday at this time
    bot.clock.set(MONDAY + timedelta(weeks=1, minutes=5))
    await jobs.run_due()
    [text] = outbox.texts_to("@ada")
    assert text.startswith("Hi ada, time for your 2026-W51 check-in")


async def test_no_nudge_asks_about_a_week_already_checked_in(
    bot: BotDriver, jobs: DueJobs, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    bot.clock.set(MONDAY - timedelta(days=3))  # Friday of W49
    await bot.say("/pivot checkin 4h a good week")
    bot.clock.set(MONDAY)
    await jobs.run_due()
    assert not await deliveries(bot.core, "nudge")
    assert not outbox.texts_to("@ada")


async def test_planning_twice_inserts_nothing_new(bot: BotDriver, jobs: DueJobs) -> None:
    await _join_and_go_to_monday(bot, "ada")
    assert (await jobs.plan()).by_kind["nudge"] == 1
    assert (await jobs.plan()).total == 0
    assert len(await deliveries(bot.core, "nudge")) == 1


async def test_spam_guards_paused_dms_off_checked_in_and_left_get_nothing(
    bot: BotDriver, jobs: DueJobs, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada", "paula", "otto", "carl", "lena")
    bot.clock.set(MONDAY - timedelta(hours=2))
    await bot.say("/pivot pause 2", as_="paula")
    await bot.say("/pivot settings dms off", as_="otto")
    await bot.say("/pivot checkin last 3h early bird", as_="carl")
    await bot.say("/pivot leave", as_="lena")
    bot.clock.set(MONDAY)
    await jobs.run_due()
    nudged = {target for target, text in outbox.sent if "how did last week" in text}
    assert nudged == {"@ada"}


async def test_three_unanswered_nudges_bring_one_gentle_note_then_every_four_weeks(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    kinds = []
    for _ in range(10):
        await jobs.run_due()
        week = _week(clock)
        kinds.append(
            sorted({d.kind for d in await deliveries(bot.core) if d.idempotency_key.endswith(week)})
        )
        clock.advance(timedelta(weeks=1))
    member_kinds = [[k for k in week if k in ("nudge", "quiet")] for week in kinds]
    assert member_kinds == [
        ["nudge"],
        ["nudge"],
        ["nudge"],
        ["quiet"],
        [],
        [],
        [],
        ["nudge"],
        [],
        [],
    ]
    quiet = [t for t in outbox.texts_to("@ada") if "quiet weeks" in t]
    assert len(quiet) == 1
    assert "/pivot pause 4" in quiet[0]


async def test_a_checkin_ends_the_quiet_rhythm(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    for _ in range(4):  # three nudges, then the quiet note
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
    await bot.say("/pivot checkin last 2h back again")  # Monday: the week just ended
    clock.advance(timedelta(weeks=1))
    await jobs.run_due()
    # The ordinary weekly message again: this week it is month 1's recap, in the nudge's place.
    weekly = [d.kind for d in await deliveries(bot.core) if d.kind in ("nudge", "quiet", "recap")]
    assert weekly[-1] == "recap"


async def test_quiet_members_reach_admins_privately_never_the_channel(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await bot.say("/pivot cohort channel early #pivot-early", as_="olga")
    await _join_and_go_to_monday(bot, "ada")
    await bot.say("/pivot cohort channel early #pivot-early", as_="olga")
    for _ in range(5):
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
    digests = outbox.texts_to("@olga")
    assert any("Newly quiet for three weeks or more: ada" in d for d in digests)
    assert all("ada" not in text for target, text in outbox.sent if target.startswith("#"))


async def test_the_manager_prompt_comes_once_in_month_3_with_outcome_buttons(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    for _ in range(17):
        await bot.say("/pivot checkin 5h steady")
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
    prompts = [t for t in outbox.texts_to("@ada") if "talk to your manager" in t]
    assert len(prompts) == 1
    assert "month 3 of your plan" in prompts[0]
    assert "[1] Supported  [2] Not supported  [3] Ask me later" in prompts[0]


async def test_later_asks_again_in_month_4_and_an_answer_stops_it(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    clock.set(utc(2027, 2, 15, 9, 30))  # month 3
    await jobs.run_due()
    reply = await bot.say("/pivot manager later")
    assert "ask again next month" in reply.text
    clock.set(utc(2027, 3, 8, 9, 30))  # month 4
    await jobs.run_due()
    again = [t for t in outbox.texts_to("@ada") if "come back to this" in t]
    assert len(again) == 1
    await bot.say("/pivot manager unsupported")
    clock.set(utc(2027, 3, 15, 9, 30))
    await jobs.run_due()
    # The two prompts and nothing more (that week's nudge may praise the conversation had).
    prompts = [t for t in outbox.texts_to("@ada") if t.startswith("The conversation with")]
    assert len(prompts) == 2
    assert "✓ manager-conversation" in (await bot.say("/pivot milestones")).text


async def test_a_cohort_without_a_channel_tells_its_admins_once(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    await _join_and_go_to_monday(bot, "ada")
    for _ in range(3):
        await jobs.run_due()
        clock.advance(timedelta(weeks=1))
    notes = [t for t in outbox.texts_to("@olga") if "early has no channel" in t]
    assert len(notes) == 1
    assert not [t for t, _ in outbox.sent if t == "#None"]


async def test_an_undeliverable_member_is_flagged_for_the_admin_digest(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, outbox: RecordingOutbox
) -> None:
    from bot.ports import Undeliverable

    await _join_and_go_to_monday(bot, "ada")
    outbox.answer = lambda target: Undeliverable("DMs closed") if target == "@ada" else None
    _, delivered = await jobs.run_due()
    assert delivered.undeliverable == 1
    [nudge] = await deliveries(bot.core, "nudge")
    assert (nudge.status, nudge.last_error) == ("undeliverable", "DMs closed")
    await jobs.run_due()
    assert outbox.attempts["@ada"] == 1  # never retried
    clock.advance(timedelta(days=4, hours=7))  # Friday 16:30: the leaderboard slot
    await jobs.run_due()
    assert any("DMs can't reach: ada (DMs closed)" in t for t in outbox.texts_to("@olga"))
    async with bot.core.sessions() as session:
        await session.execute(update(Member).values(dm_problem=None))
        await session.commit()


def _week(clock: ManualClock) -> str:
    from bot.domain.weeks import IsoWeek

    return str(IsoWeek.of(clock.now().date()))


async def test_stored_replies_are_forgotten_after_a_week(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock
) -> None:
    from sqlalchemy import func, select

    from bot.db.models import HandledRequest

    await bot.say("/pivot join", as_="ada")

    async def stored() -> int:
        async with bot.core.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(HandledRequest)) or 0)

    before = await stored()
    assert before >= 1
    clock.advance(timedelta(days=6))
    await jobs.plan()
    assert await stored() == before
    clock.advance(timedelta(days=2))
    await jobs.plan()
    assert await stored() == 0
