"""``forget confirm`` leaves nothing that names the member, and ``export`` leaves nothing out.

Both are checked against the models' metadata rather than a list of tables kept by hand: after
forgetting, every column of every table is searched, JSON as text; and every table with a
member column must be covered by the export. A new table fails here until it is covered.
The member has a distinctive name, since words like "member" appear in the bot's own records.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import MetaData, Table, select

import migrations
from bot.content.loader import ContentLibrary
from bot.messages import CONSOLE, Attachment, ChatUser, Invocation, Reply
from bot.ports import Undeliverable
from bot.services.personal_data import exported_tables
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.outboxes import RecordingOutbox
from tests.support.quiz import is_question, right_button

NAME = "Zebedee Quillfeather"
USER_ID = "uzq7731"
NEEDLES = ("zebedee", "quillfeather", USER_ID)
MEMBER_COLUMN = "user_id"  # a platform id is held in user_id or <role>_user_id


def _all_tables() -> list[Table]:
    return [table for metadata in migrations.target_metadata() for table in metadata.sorted_tables]


def member_tables(metadata: MetaData) -> set[str]:
    """Tables holding a platform user id, a reference to a member, or a reference to such a
    row (a quiz answer belongs to its attempt): everything that is about a person."""
    found = {
        table.name
        for table in metadata.sorted_tables
        if any(c.name == MEMBER_COLUMN or c.name.endswith("_" + MEMBER_COLUMN) for c in table.c)
    }
    grew = True
    while grew:
        referring = {
            table.name
            for table in metadata.sorted_tables
            if any(fk.column.table.name in found for fk in table.foreign_keys)
            and table.name not in found
            and table.name not in ("tenants", "cohorts")
        }
        grew = bool(referring)
        found |= referring
    return found


def _as_zebedee(inv: Invocation) -> Invocation:
    """The driver's invocation, from Zebedee: an id and a name unlike anything the bot says."""
    user = ChatUser(CONSOLE, inv.user.tenant_id, USER_ID, NAME)
    return replace(inv, user=user, origin=replace(inv.origin, user_id=USER_ID))


async def _say(bot: BotDriver, text: str) -> Reply:
    return await bot.core.answer(_as_zebedee(bot.invocation(text)))


async def _press(bot: BotDriver, reply: Reply, label: str) -> Reply:
    button = next(b for b in reply.buttons if b.label == label)
    inv = bot.invocation(command=button.command, args=button.arg_dict)
    return await bot.core.answer(_as_zebedee(inv))


async def _leave_a_trace_everywhere(
    bot: BotDriver, content: ContentLibrary, outbox: RecordingOutbox
) -> None:
    """Zebedee joins, checks in naming himself, ships, pauses, starts a quiz, has a nudge
    bounce (so the admins' digest names him), is on a weekly post and is made a cohort admin
    (the reply olga keeps for retries names him), and asks for links to his roadmap and, as an
    admin, the cohort's dashboard."""
    jobs = DueJobs(bot.core.sessions, bot.clock, content, {CONSOLE: outbox})
    assert "Welcome" in (await _say(bot, "/pivot join spring track fast level senior")).text
    await _say(bot, f"/pivot checkin 6h {NAME} wrote the notes API tests | none")
    await _say(bot, "/pivot done git-workflow https://example.org/zebedee/pr/1")
    await _say(bot, "/pivot pause 1")
    await _say(bot, "/pivot resume")
    quiz = await _say(bot, "/pivot quiz")
    assert is_question(quiz), quiz.text
    await _press(bot, quiz, right_button(quiz, content).label)
    # The second Monday: his nudge, about the week he skipped, bounces.
    bot.clock.set(datetime(2026, 12, 14, 9, 30, tzinfo=UTC))
    outbox.answer = lambda target: Undeliverable("DMs closed") if USER_ID in target else None
    await jobs.run_due()
    await _say(bot, f"/pivot checkin 4h {NAME} again")
    bot.clock.set(datetime(2026, 12, 18, 16, 30, tzinfo=UTC))  # Friday: the post and digest
    await jobs.run_due()
    posted = " ".join(text for _, text in outbox.sent)
    assert NAME in posted  # the weekly post and olga's digest named him
    added = await bot.say(f"/pivot cohort admin add <@{USER_ID}> spring", as_="olga")
    assert f"{NAME} is now an admin of cohort spring" in added.text, added.text
    assert "Open my roadmap" in (await _say(bot, "/pivot roadmap")).text
    assert "Open the dashboard" in (await _say(bot, "/pivot cohort dashboard spring")).text


async def _rows_naming_him(bot: BotDriver) -> list[str]:
    found = []
    async with bot.core.sessions() as session:
        connection = await session.connection()
        for table in _all_tables():
            for row in await connection.execute(select(table)):
                for column, value in zip(table.c, row, strict=True):
                    text = json.dumps(value, default=str, ensure_ascii=False).lower()
                    if any(needle in text for needle in NEEDLES):
                        found.append(f"{table.name}.{column.name}: {text[:120]}")
    return found


def test_the_export_covers_every_table_that_holds_something_about_a_person() -> None:
    from bot.db.base import Base

    assert member_tables(Base.metadata) - exported_tables() == set()


async def test_the_export_has_every_kind_of_record_the_member_left(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await _leave_a_trace_everywhere(bot, content, RecordingOutbox())
    reply = await _say(bot, "/pivot export")
    [attachment] = [b for b in reply.blocks if isinstance(b, Attachment)]
    data: dict[str, Any] = json.loads(attachment.content)
    empty = [part for part, rows in data.items() if not rows]
    assert empty == []
    assert data["admin_roles"] == [{"cohort": "spring", "added_at": "2026-12-18T16:30:00+00:00"}]
    assert any(entry["action"] == "cohort admin add" for entry in data["audit"])
    assert any(f"{NAME} again" in json.dumps(r) for r in data["stored_replies"])


async def test_after_forget_no_row_in_any_table_names_the_member(
    bot: BotDriver, content: ContentLibrary
) -> None:
    await _leave_a_trace_everywhere(bot, content, RecordingOutbox())
    await _say(bot, "/pivot export")
    assert await _rows_naming_him(bot)  # the search finds him before
    done = await _say(bot, "/pivot forget confirm")
    assert "is deleted" in done.text
    assert await _rows_naming_him(bot) == []


async def test_forget_warns_that_admin_roles_go_too(bot: BotDriver) -> None:
    await _say(bot, "/pivot join spring")
    await bot.say(f"/pivot cohort admin add <@{USER_ID}> spring", as_="olga")
    warning = await _say(bot, "/pivot forget")
    assert "your admin role in cohort spring" in warning.text
    assert "platform admins alone" not in warning.text  # olga still runs spring


async def test_forget_warns_when_it_would_leave_a_cohort_to_platform_admins_alone(
    bot: BotDriver,
) -> None:
    await bot.say("/pivot cohort create autumn", as_="olga")
    await bot.say(f"/pivot cohort admin add <@{USER_ID}> autumn", as_="olga")
    await bot.say("/pivot cohort admin remove @olga autumn", as_="olga")
    await _say(bot, "/pivot join autumn")
    warning = await _say(bot, "/pivot forget")
    assert "cohort autumn would be left to the platform admins alone" in warning.text
    assert [b.label for b in warning.buttons] == ["Delete everything"]  # never refused
    done = await _say(bot, "/pivot forget confirm")
    assert "is deleted" in done.text
    bot.clock.advance(timedelta(minutes=1))
    listing = await bot.say("/pivot cohort list", as_="olga")
    assert "autumn" in listing.text
