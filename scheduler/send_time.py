"""What a message says about other people is decided as it is sent, not when it was planned.

A weekly board planned on Friday can go out minutes or days later, after a 429 or downtime,
and whoever hid from the boards or deleted their data meanwhile must not be on it. So the
kinds in ``RENDERED_AT_SEND`` are rendered here, on every attempt, from their cohort and
period; an announcement names only its own member and goes out only while they are still on
the boards. Every other message is about its recipient alone and is sent as planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, assert_never

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, Member
from bot.domain.deliveries import DeliveryKind
from bot.domain.weeks import IsoWeek
from bot.messages import Reply
from bot.reply_codec import reply_from_dict
from bot.services.admin_digest import named_now
from bot.services.struggles import stuck_members
from bot.views.reminders import admin_digest_reply
from bot.views.struggles import stuck_line
from bot.views.weekly_post import weekly_leaderboard_post


@dataclass(frozen=True)
class Stored:
    """What the outbox row holds for one message: enough to send it or to render it."""

    kind: DeliveryKind
    payload: dict[str, Any]
    cohort_id: int | None
    member_id: int | None
    period: str | None


async def reply_at_send(
    sessions: async_sessionmaker[AsyncSession],
    content: ContentLibrary,
    now: datetime,
    message: Stored,
) -> Reply | None:
    """The reply to send now; None when nothing is left to say (the post's cohort is gone,
    nobody is quiet any more, the member announced has hidden or left). Only the messages
    that name others read the database; the rest go as stored."""
    match message.kind:
        case DeliveryKind.LEADERBOARD | DeliveryKind.DIGEST | DeliveryKind.ANNOUNCEMENT:
            async with sessions() as session:
                return await _about_others(session, content, now, message)
        case (
            DeliveryKind.NUDGE
            | DeliveryKind.QUIET
            | DeliveryKind.GATE
            | DeliveryKind.MANAGER
            | DeliveryKind.MANAGER_AGAIN
            | DeliveryKind.NO_CHANNEL
            | DeliveryKind.RECAP
        ):
            return reply_from_dict(message.payload)  # about its recipient alone
        case _:
            assert_never(message.kind)


async def _about_others(
    session: AsyncSession, content: ContentLibrary, now: datetime, message: Stored
) -> Reply | None:
    if message.kind is DeliveryKind.ANNOUNCEMENT:
        member = await session.get(Member, message.member_id) if message.member_id else None
        if member is None or not member.leaderboard_visible or member.left_at is not None:
            return None
        return reply_from_dict(message.payload)
    cohort = await session.get(Cohort, message.cohort_id) if message.cohort_id else None
    if cohort is None or message.period is None:
        return None
    if message.kind is DeliveryKind.DIGEST:
        return await _digest_now(session, content, cohort, message.period, message.payload)
    week = IsoWeek.parse(message.period)
    return await weekly_leaderboard_post(session, cohort, now, content, week=week)


async def _digest_now(
    session: AsyncSession,
    content: ContentLibrary,
    cohort: Cohort,
    period: str,
    payload: dict[str, Any],
) -> Reply | None:
    """The admins' digest with its members as they are now; a member still stuck is quoted
    from their check-ins as they stand."""
    changes, maybe_stuck = await named_now(session, cohort, payload.get("members", {}))
    roadmap = content.roadmap(cohort.roadmap_key)
    stuck = await stuck_members(session, maybe_stuck, roadmap, IsoWeek.parse(period))
    if changes.empty and not stuck:
        return None
    return admin_digest_reply(cohort.name, period, changes, [stuck_line(s) for s in stuck])
