"""Export and forget: a member's data is theirs to take and to delete."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.db.models import (
    AuditEntry,
    Checkin,
    DigestNote,
    HandledRequest,
    Member,
    MilestoneProgress,
    Pause,
)
from bot.messages import Attachment
from testkit.driver import BotDriver


async def _count(bot: BotDriver, model: type) -> int:
    async with bot.core.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_export_gives_every_record_as_json(bot: BotDriver) -> None:
    await bot.say("/pivot join level senior")
    await bot.say("/pivot checkin 5h built a CLI | none")
    await bot.say("/pivot done git-workflow https://github.com/ada/x/pull/1")
    await bot.say("/pivot pause 1")
    reply = await bot.say("/pivot export")
    [attachment] = [b for b in reply.blocks if isinstance(b, Attachment)]
    data = json.loads(attachment.content)
    assert data["member"]["level"] == "senior"
    assert data["checkins"][0]["summary"] == "built a CLI"
    assert data["milestones"][0]["evidence_url"] == "https://github.com/ada/x/pull/1"
    assert len(data["pauses"]) == 1
    async with bot.core.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "data export" in actions


async def test_forget_asks_first_and_changes_nothing(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("/pivot forget")
    assert "cannot be undone" in reply.text
    assert [b.label for b in reply.buttons] == ["Delete everything"]
    assert await _count(bot, Member) == 1


async def test_forget_confirm_deletes_everything_and_keeps_only_the_fact(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot checkin 5h work")
    await bot.say("/pivot done write-tests")
    await bot.say("/pivot pause 1")
    asked = await bot.say("/pivot forget")
    reply = await bot.press(asked, "Delete everything")
    assert "everything pivotbot stored about you here is deleted" in reply.text
    for model in (Member, Checkin, MilestoneProgress, Pause):
        assert await _count(bot, model) == 0
    async with bot.core.sessions() as session:
        handled = list(await session.scalars(select(HandledRequest.user_id)))
        audit = list(await session.execute(select(AuditEntry.action, AuditEntry.actor_user_id)))
    assert "ada" not in handled
    assert ("member data deleted", None) in [tuple(row) for row in audit]
    assert all(actor != "ada" for _, actor in audit)
    assert "Welcome to cohort spring" in (await bot.say("/pivot join")).text


async def test_forget_leaves_other_members_alone(bot: BotDriver) -> None:
    await bot.say("/pivot join", as_="ada")
    await bot.say("/pivot join", as_="bea")
    await bot.say("/pivot checkin 3h bea's week", as_="bea")
    await bot.say("/pivot forget confirm", as_="ada")
    assert "Streak: 1 week" in (await bot.say("/pivot status", as_="bea")).text


async def test_an_admins_follow_up_is_in_the_export_and_goes_with_forget(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    await bot.say("/pivot cohort followup @ada", as_="olga")
    reply = await bot.say("/pivot export")
    [attachment] = [b for b in reply.blocks if isinstance(b, Attachment)]
    [note] = json.loads(attachment.content)["admin_digest_notes"]
    assert note["cohort"] == "spring"
    assert note["followed_up_until"].startswith("2026-12-28")
    await bot.say("/pivot forget confirm")
    assert await _count(bot, DigestNote) == 0
