"""Organisers name, rename, archive and delete cohorts; a cohort always keeps an admin; and a
start date lies within a year of today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import session_factory
from bot.db.models import AuditEntry, Checkin, Cohort, CohortAdmin, Member
from testkit.driver import BotDriver


async def _audit(engine: AsyncEngine) -> list[tuple[str, str | None, str]]:
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.actor_user_id, AuditEntry.detail).order_by(
                AuditEntry.id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def _count(engine: AsyncEngine, model: type, *where: object) -> int:
    async with session_factory(engine)() as session:
        found = await session.scalar(select(func.count()).select_from(model).where(*where))
        return int(found or 0)


async def test_a_name_with_a_space_is_refused_and_never_becomes_a_channel(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    reply = await bot.say("/pivot cohort create Spring 2027", as_="olga")
    assert reply.is_error
    assert "`Spring 2027`: name is one word" in reply.text
    assert "e.g. `spring-2027`" in reply.text
    assert "Expected `/pivot cohort create <name> [start <YYYY-MM-DD>]" in reply.text
    assert await _count(engine, Cohort) == 1  # only the fixture's spring


async def test_a_bare_word_is_not_taken_for_a_channel(bot: BotDriver, engine: AsyncEngine) -> None:
    reply = await bot.say("/pivot cohort channel spring general", as_="olga")
    assert reply.is_error
    assert "a channel starts with # (e.g. #general)" in reply.text
    async with session_factory(engine)() as session:
        assert await session.scalar(select(Cohort.channel_name)) == "pivot-spring"
    moved = await bot.say("/pivot cohort channel spring #general", as_="olga")
    assert "Cohort spring now posts in #general." in moved.text


async def test_rename_keeps_members_and_history_and_is_audited(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot checkin 5h kept across the rename")
    reply = await bot.say("/pivot cohort rename spring spring-2027", as_="olga")
    assert "Renamed cohort spring to spring-2027." in reply.text
    assert "New members join with `/pivot join spring-2027`." in reply.text
    status = await bot.say("/pivot status")
    assert "Streak: 1 week · checked in this week" in status.text
    assert "Welcome to cohort spring-2027" in (await bot.say("/pivot join", as_="bea")).text
    taken = await bot.say("/pivot cohort rename spring-2027 spring-2027", as_="olga")
    assert "Cohort spring-2027 already exists" in taken.text
    gone = await bot.say("/pivot cohort rename spring autumn", as_="olga")
    assert "There's no cohort `spring` here" in gone.text
    assert ("cohort rename", "olga", "spring -> spring-2027") in await _audit(engine)


async def test_archive_stops_joining_and_members_take_their_history_elsewhere(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot checkin 6h before the archive")
    await bot.say("/pivot cohort create autumn", as_="olga")
    reply = await bot.say("/pivot cohort archive spring", as_="olga")
    assert "Archived cohort spring: no more weekly posts, digests or nudges" in reply.text
    assert "Its 1 member keeps their history and can join another cohort" in reply.text
    refused = await bot.say("/pivot join spring", as_="bea")
    assert refused.is_error
    assert "Cohort spring is archived: it takes no members." in refused.text
    assert "e.g. `/pivot join autumn`" in refused.text
    assert (await bot.say("/pivot status")).is_error  # ada is no longer in a cohort
    moved = await bot.say("/pivot join autumn")
    assert "Welcome to cohort autumn, ada! Your history comes with you." in moved.text
    assert "Streak: 1 week · checked in this week" in moved.text
    again = await bot.say("/pivot cohort archive spring", as_="olga")
    assert "was archived on 30 Nov 2026" in again.text
    assert (
        "spring (archived 30 Nov 2026): started 30 Nov 2026, 0 members"
        in (await bot.say("/pivot cohort list", as_="olga")).text
    )
    assert ("cohort archive", "olga", "spring: 1 members") in await _audit(engine)


async def test_delete_is_refused_while_a_cohort_has_members(bot: BotDriver) -> None:
    await bot.say("/pivot join spring")
    reply = await bot.say("/pivot cohort delete spring confirm", as_="olga")
    assert reply.is_error
    assert reply.text == (
        "Cohort spring has 1 member: archive it first with `/pivot cohort archive spring`, "
        "then delete it."
    )


async def test_delete_asks_first_then_removes_the_cohort_and_the_history_left_in_it(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    for name in ("ada", "bea"):
        await bot.say("/pivot join spring", as_=name)
        await bot.say("/pivot checkin 3h something", as_=name)
    await bot.say("/pivot cohort create autumn", as_="olga")
    await bot.say("/pivot cohort archive spring", as_="olga")
    await bot.say("/pivot join autumn", as_="bea")  # bea takes her history along
    asked = await bot.say("/pivot cohort delete spring", as_="olga")
    assert "This deletes cohort spring for good" in asked.text
    assert "of the 1 person who was in it and joined no other cohort" in asked.text
    assert "To go ahead: `/pivot cohort delete spring confirm`" in asked.text
    assert await _count(engine, Cohort, Cohort.name == "spring") == 1  # nothing deleted yet
    done = await bot.press(asked, "Delete cohort spring", as_="olga")
    assert done.text == "Done: cohort spring is deleted."
    assert await _count(engine, Cohort, Cohort.name == "spring") == 0
    assert await _count(engine, Member) == 1  # bea, in autumn
    assert await _count(engine, Checkin) == 1  # hers; ada's went with spring
    assert ("cohort delete", "olga", "spring: 1 members' history") in await _audit(engine)
    listed = await bot.say("/pivot cohort list", as_="olga")
    assert "spring" not in listed.text


async def test_an_empty_cohort_can_be_deleted_without_archiving(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    await bot.say("/pivot cohort create typo", as_="olga")
    asked = await bot.say("/pivot cohort delete typo", as_="olga")
    assert "history" not in asked.text
    await bot.say("/pivot cohort delete typo confirm", as_="olga")
    assert await _count(engine, Cohort, Cohort.name == "typo") == 0
    assert await _count(engine, CohortAdmin) == 1  # olga, of spring


async def test_the_last_admin_cannot_remove_themselves(bot: BotDriver, engine: AsyncEngine) -> None:
    refused = await bot.say("/pivot cohort admin remove @olga spring", as_="olga")
    assert refused.is_error
    assert "olga is the last admin of cohort spring" in refused.text
    assert "Add another admin first, e.g. `/pivot cohort admin add @sam spring`" in refused.text
    assert await _count(engine, CohortAdmin) == 1
    await bot.say("/pivot cohort admin add @sam spring", as_="olga")
    removed = await bot.say("/pivot cohort admin remove @olga spring", as_="olga")
    assert "olga is no longer an admin of cohort spring." in removed.text
    last = await bot.say("/pivot cohort admin remove @sam spring", as_="sam")
    assert "sam is the last admin of cohort spring" in last.text


async def test_a_start_more_than_a_year_away_is_refused(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    for start in ("2031-01-01", "2020-01-01", "2027-12-01", "2025-11-29"):
        reply = await bot.say(f"/pivot cohort create far start {start}", as_="olga")
        assert reply.is_error, start
        assert "A cohort starts within a year of today, from 30 Nov 2025 to 30 Nov 2027" in (
            reply.text
        )
    assert await _count(engine, Cohort, Cohort.name == "far") == 0
    past = await bot.say("/pivot cohort create past start 2025-11-30", as_="olga")
    assert "It has already started: each member's plan counts from the day they join." in (
        past.text
    )
    assert "Month 1 of 24 · standard track" in (await bot.say("/pivot join past")).text


async def test_members_who_join_before_a_future_start_begin_on_it(bot: BotDriver) -> None:
    created = await bot.say("/pivot cohort create later start 2027-11-30", as_="olga")
    assert (
        "Members who join before 30 Nov 2027 begin their plan that day: month 1, their pace and "
        "their weekly nudges count from then." in created.text
    )
    joined = await bot.say("/pivot join later")
    assert "Your plan starts on 30 Nov 2027, when the cohort starts" in joined.text
    assert "Month 1 of 24 begins on 30 Nov 2027, with the cohort" in joined.text
    bot.advance(days=200)  # mid-June 2027: still before the start
    early = await bot.say("/pivot checkin 2h reading ahead")
    assert "+10 points for checking in" in early.text
    assert "Month 1 of 24 begins on 30 Nov 2027" in early.text
    bot.advance(days=200)  # early January 2028: month 2 of the plan
    assert "Month 2 of 24" in (await bot.say("/pivot status")).text


async def test_a_stored_start_out_of_range_never_breaks_a_join(
    bot: BotDriver, engine: AsyncEngine
) -> None:
    """Starts stored before they were checked: the plan still fits the calendar."""
    await bot.say("/pivot cohort create ancient", as_="olga")
    await bot.say("/pivot cohort create distant", as_="olga")
    async with session_factory(engine)() as session:
        for name, start in (("ancient", date(1, 1, 1)), ("distant", date(9999, 6, 1))):
            await session.execute(
                update(Cohort).where(Cohort.name == name).values(start_date=start)
            )
        await session.commit()
    ancient = await bot.say("/pivot join ancient", as_="ada")
    assert "Your plan starts today." in ancient.text
    distant = await bot.say("/pivot join distant", as_="bea")
    assert not distant.is_error, distant.text
    assert "Month 1 of 24 begins on 30 Nov 2027" in distant.text
    assert not (await bot.say("/pivot cohort list", as_="olga")).is_error


CONTRACT_USAGES = (
    "/pivot cohort rename <old> <new>",
    "/pivot cohort archive <name>",
    "/pivot cohort delete <name> [confirm]",
)


async def test_help_and_the_readme_show_the_cohort_commands_to_admins(bot: BotDriver) -> None:
    listed = (await bot.say("/pivot help", as_="olga")).text
    member_help = (await bot.say("/pivot help", as_="ada")).text
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    commands = readme[readme.index("## Commands") : readme.index("## Command line")]
    for usage in CONTRACT_USAGES:
        assert f"`{usage}`" in listed
        assert usage not in member_help
        assert f"`{usage.removeprefix('/pivot ')}`" in commands


async def test_a_new_cohort_in_an_archived_ones_channel_is_the_channels_default(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot cohort archive spring", as_="olga")
    await bot.say("/pivot cohort create summer #pivot-spring", as_="olga")
    reply = await bot.say("/pivot join", as_="bea", channel="pivot-spring")
    assert "Welcome to cohort summer, bea!" in reply.text
