"""What the weekly nudge and the quiet-member notes say, written from a member's snapshot.

The scheduler decides when they go out (tests/scheduler); these tests read what they say at
chosen moments of one member's plan, which starts on Monday 30 November 2026.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, Member
from bot.services.snapshot import Snapshot, load_snapshot
from bot.views.reminders import nudge_reply, quiet_reply
from testkit.driver import BotDriver
from tests.scheduler.conftest import utc

MARKS = (4, 8, 12)


async def snapshot_of(bot: BotDriver, name: str, content: ContentLibrary) -> Snapshot:
    async with bot.core.sessions() as session:
        member, cohort = (
            await session.execute(
                select(Member, Cohort)
                .join(Cohort, Cohort.id == Member.cohort_id)
                .where(Member.user_id == name)
            )
        ).one()
        roadmap = content.roadmap(cohort.roadmap_key)
        return await load_snapshot(session, member, cohort, roadmap, bot.clock.now())


async def nudge_at(bot: BotDriver, when: datetime, content: ContentLibrary) -> str:
    bot.clock.set(when)
    snapshot = await snapshot_of(bot, "ada", content)
    return nudge_reply(snapshot, "ada", snapshot.this_week, MARKS).text


async def test_a_date_this_week_is_named_then_called_overdue_once_then_never_quoted(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await bot.say("/pivot join spring")
    bot.clock.set(utc(2027, 2, 1, 8))
    await bot.say("/pivot done git-workflow https://github.com/ada/notes/pull/1")
    due_week = await nudge_at(bot, utc(2027, 3, 8, 9), content)  # Write tests: due Wed 10 Mar
    assert "This week's focus: Write tests (due 10 Mar 2027)." in due_week
    assert "It's due this week, on Wednesday." in due_week
    passed = await nudge_at(bot, utc(2027, 3, 15, 9), content)
    assert "This week's focus: Write tests." in passed
    assert "Write tests passed its planned date on 10 Mar 2027." in passed
    later = await nudge_at(bot, utc(2027, 3, 22, 9), content)
    assert "This week's focus: Write tests." in later
    assert "10 Mar" not in later
    assert "overdue" not in later


async def test_a_milestone_just_done_and_a_streak_mark_are_noticed(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await bot.say("/pivot join spring")
    for _ in range(4):  # four weeks running, each on a Tuesday
        bot.advance(days=1)
        await bot.say("/pivot checkin 4h steady")
        bot.advance(days=6)
    streak = await nudge_at(bot, utc(2026, 12, 28, 9), content)
    assert "Your streak has reached 4 weeks" in streak
    bot.clock.set(utc(2026, 12, 29, 9))
    await bot.say("/pivot done write-tests https://github.com/ada/notes/pull/2")
    done = await nudge_at(bot, utc(2027, 1, 4, 9), content)
    assert "Well done on finishing Write tests this past week." in done


async def test_nudges_in_quiet_weeks_still_differ_from_one_week_to_the_next(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await bot.say("/pivot join spring")
    bodies = []
    for day in (7, 14, 21):
        text = await nudge_at(bot, utc(2026, 12, day, 9), content)
        bodies.append(text.split("\n", 1)[1].replace(f"2026-W{50 + (day - 7) // 7}", ""))
    assert len(set(bodies)) == 3
    assert all("Something to try this week:" in body for body in bodies)


async def test_past_the_plans_end_the_month_stops_at_its_length_and_more_time_is_offered(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await bot.say("/pivot join spring")
    text = await nudge_at(bot, utc(2028, 12, 4, 9), content)  # month 25 of a 24-month plan
    assert "Month 24 of 24 (past the plan's end)" in text
    assert "Month 25" not in text
    assert "`/pivot extend 24`" in text


async def test_a_quiet_member_is_offered_a_way_back_with_no_date_and_no_pace(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await bot.say("/pivot join spring track fast")
    bot.clock.set(utc(2027, 9, 6, 9))
    snapshot = await snapshot_of(bot, "ada", content)
    assert snapshot.pace.state == "behind"
    for again in (False, True):
        note = quiet_reply("ada", snapshot, again=again)
        assert "`/pivot replan`" in note.text
        assert "`/pivot settings track standard`" in note.text
        assert "`/pivot pause 4`" in note.text
        assert "due" not in note.text
        assert "behind" not in note.text
        assert [b.label for b in note.buttons] == [
            "Check in",
            "Re-plan from today",
            "Pause 4 weeks",
        ]
    replanned = await bot.press(note, "Re-plan from today")
    assert "A fresh plan from today" in replanned.text
    assert "on track" in replanned.text
