"""Weekly check-ins, streaks and pauses, as a member lives them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.commands.checkins import with_milestones
from bot.db.models import Checkin
from testkit.driver import BotDriver


async def _checkins(bot: BotDriver) -> list[Checkin]:
    async with bot.core.sessions() as session:
        return list(await session.scalars(select(Checkin).order_by(Checkin.week_start)))


async def test_a_checkin_records_hours_work_blockers_and_confidence(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot checkin 6h shipped the flask service | docker networking | 4")
    assert "Checked in for 2026-W49: 6h — shipped the flask service" in reply.text
    assert "Blockers: docker networking" in reply.text
    assert "Streak: 1 week" in reply.text
    [row] = await _checkins(bot)
    assert (row.hours, row.blockers, row.confidence) == (6.0, "docker networking", 4)


async def checkin_form(bot: BotDriver, as_: str, *milestones: str) -> str:
    """Submit a check-in form, as a platform's form does: one command, picked milestones."""
    args = with_milestones({"hours": "6h", "summary": "shipped the flask service"}, milestones)
    return (await bot.core.answer(bot.invocation(as_=as_, command="checkin", args=args))).text


async def test_a_form_check_in_marks_the_picked_milestones_as_done_marks_them(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join", as_="ada")
    await bot.say("/pivot join", as_="grace")
    typed = [
        (await bot.say(text, as_="grace")).text
        for text in (
            "/pivot checkin 6h shipped the flask service",
            "/pivot done git-workflow",
            "/pivot done write-tests",
        )
    ]
    assert await checkin_form(bot, "ada", "git-workflow", "write-tests") == "\n\n".join(typed)
    assert "Phase 1 milestones ███░░░░░░░ 2/7" in typed[-1]


async def test_a_form_check_in_with_a_milestone_outside_the_phase_saves_nothing(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot join")
    answer = await checkin_form(bot, "ada", "git-workflow", "docker")
    assert "`docker` is not a milestone of phase 1, so nothing was saved" in answer
    assert await _checkins(bot) == []
    assert "0/7" in (await bot.say("/pivot milestones")).text


async def test_second_checkin_in_same_week_amends_the_first(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 3h started the course")
    bot.advance(days=3)
    reply = await bot.say("/pivot checkin 7h finished week 1 of CS50")
    assert "You had already checked in for 2026-W49, so this amends it" in reply.text
    [row] = await _checkins(bot)
    assert row.hours == 7.0
    assert row.summary == "finished week 1 of CS50"
    assert row.amendments == 1


async def test_a_retried_request_is_answered_once_and_stored_once(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    first = await bot.say("/pivot checkin 5h wrote tests", request_id="slack-retry-1")
    again = await bot.say("/pivot checkin 5h wrote tests", request_id="slack-retry-1")
    assert again.text == first.text
    [row] = await _checkins(bot)
    assert row.amendments == 0


async def test_the_week_is_the_members_own_week(bot: BotDriver) -> None:
    await bot.say("/pivot join tz Pacific/Kiritimati")
    bot.clock.set(datetime(2026, 12, 6, 11, 0, tzinfo=UTC))  # Sunday 11:00 UTC: Monday there
    reply = await bot.say("/pivot checkin 2h planning")
    assert "Checked in for 2026-W50" in reply.text


async def test_ten_weekly_checkins_grow_the_streak_and_move_the_pace(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    for week in range(1, 11):
        reply = await bot.say(f"/pivot checkin 5h week {week} of study")
        assert f"Streak: {week} week" in reply.text
        bot.advance(weeks=1)
    status = await bot.say("/pivot status")
    assert "Streak: 10 weeks · not checked in this week" in status.text
    assert "behind by" in status.text  # no milestone done after ten weeks
    await bot.say("/pivot done git-workflow https://github.com/ada/svc/pull/1")
    assert "behind by" not in (await bot.say("/pivot status")).text


async def test_one_missed_week_is_covered_by_the_streak_freeze(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h a")  # W49
    bot.advance(weeks=2)  # W50 passes with no check-in
    reply = await bot.say("/pivot checkin 5h b")  # W51
    assert "Streak: 2 weeks" in reply.text
    status = await bot.say("/pivot status")
    assert "Streak freeze: used for 2026-W50; phase 2 brings a new one." in status.text


async def test_a_second_missed_week_in_the_same_phase_breaks_the_streak(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h a")  # W49
    bot.advance(weeks=2)
    await bot.say("/pivot checkin 5h b")  # W51; the freeze covered W50
    bot.advance(weeks=2)
    reply = await bot.say("/pivot checkin 5h c")  # W53; W52 was missed too
    assert "Streak: 1 week" in reply.text


async def test_a_pause_keeps_the_streak_alive(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    for _ in range(3):
        await bot.say("/pivot checkin 5h steady work")
        bot.advance(weeks=1)
    reply = await bot.say("/pivot pause 2")
    assert "Paused for 2 weeks, until 4 Jan 2027" in reply.text
    bot.advance(weeks=2)
    reply = await bot.say("/pivot checkin 4h back at it")
    assert "Streak: 4 weeks" in reply.text  # 3 before, 2 paused weeks skipped, 1 now


async def test_checking_in_during_a_pause_ends_it(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot pause 3")
    bot.advance(days=8)
    reply = await bot.say("/pivot checkin 2h could not stay away")
    assert "checking in ended your pause" in reply.text
    assert "not paused" in (await bot.say("/pivot resume")).text


async def test_resume_ends_a_pause_early(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot pause 4")
    assert "You're paused until" in (await bot.say("/pivot status")).text
    assert "Welcome back" in (await bot.say("/pivot resume")).text
    assert "You're paused" not in (await bot.say("/pivot status")).text


async def test_a_checkin_before_joining_says_how_to_join(bot: BotDriver) -> None:
    reply = await bot.say("/pivot checkin 5h eager")
    assert reply.is_error
    assert reply.text == "You haven't joined a cohort yet. Start with `/pivot join`."
    async with bot.core.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Checkin)) == 0


async def test_a_one_week_pause_covers_one_week_not_the_next(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h before the break")  # W49
    bot.advance(weeks=1)
    await bot.say("/pivot pause 1")  # Monday of W50 to Monday of W51
    bot.advance(weeks=2)  # W51 passes with no check-in
    reply = await bot.say("/pivot checkin 3h after the break")  # W52
    assert "Streak: 2 weeks" in reply.text
    status = await bot.say("/pivot status")  # W51 needed the freeze: the pause had ended
    assert "Streak freeze: used for 2026-W51" in status.text
