"""What each due member gets: the message for every key :mod:`scheduler.due_members` found,
written from the member's snapshot at the moment of planning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import assert_never

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.domain.deliveries import DeliveryKey, DeliveryKind, PlannedDelivery
from bot.messages import Reply
from bot.services.recaps import LoggedHours, load_hours, monthly_recap
from bot.services.snapshot import Snapshot, compute_snapshot, load_histories
from bot.views.recaps import recap_reply
from bot.views.reminders import (
    gate_invite_reply,
    manager_prompt_reply,
    nudge_reply,
    quiet_reply,
)
from scheduler.due_members import MemberDue
from scheduler.timing import nudge_stale_after, week_end


async def member_deliveries(
    session: AsyncSession, due: list[MemberDue], now: datetime, content: ContentLibrary
) -> list[PlannedDelivery]:
    histories = await load_histories(session, [d.member.id for d in due])
    recapped = [d.member.id for d in due if any(k.kind is DeliveryKind.RECAP for k in d.keys)]
    logged = await load_hours(session, recapped)
    marks = tuple(bonus.weeks for bonus in content.point_rules.streak_bonuses)
    planned: list[PlannedDelivery] = []
    for item in due:
        member = item.member
        roadmap = content.roadmap(item.cohort.roadmap_key)
        snapshot = compute_snapshot(member, roadmap, now, histories[member.id])
        hours = logged.get(member.id, [])
        for key in item.keys:
            reply, period = _message(key, item, snapshot, marks, hours)
            weekly = key.kind in (DeliveryKind.NUDGE, DeliveryKind.QUIET)
            planned.append(
                PlannedDelivery(
                    key,
                    member.tenant_id,
                    reply,
                    user_id=member.user_id,
                    member_id=member.id,
                    period=period,
                    stale_after=nudge_stale_after(item.asks, item.week, member.timezone)
                    if weekly
                    else week_end(item.week, member.timezone),
                )
            )
    return planned


def _message(
    key: DeliveryKey,
    item: MemberDue,
    snapshot: Snapshot,
    streak_marks: tuple[int, ...],
    logged: Sequence[LoggedHours],
) -> tuple[Reply, str]:
    """The reply, and the period it is for: the ISO week (for a nudge or a quiet note, the week
    it asks about), or the plan month for the manager.

    ``streak_marks`` are the streak lengths a nudge celebrates; ``logged`` the member's
    check-in hours, which a recap adds up."""
    member, cohort = item.member, item.cohort
    match key.kind:
        case DeliveryKind.NUDGE if item.quiet_since is not None:
            # The four-weekly note to a member gone quiet: no dates, no pace, a way back.
            return quiet_reply(member.display_name, snapshot, again=True), str(item.week)
        case DeliveryKind.NUDGE:
            return nudge_reply(snapshot, member.display_name, item.asks, streak_marks), str(
                item.asks
            )
        case DeliveryKind.QUIET:
            return quiet_reply(member.display_name, snapshot, again=False), str(item.asks)
        case DeliveryKind.RECAP:
            assert key.month is not None  # a recap key cannot be made without it
            recap = monthly_recap(snapshot, logged, key.month, member.phase_started_on)
            return recap_reply(member.display_name, recap, snapshot), str(item.week)
        case DeliveryKind.GATE:
            assert key.invite is not None  # a gate key cannot be made without it
            reply = gate_invite_reply(
                member.display_name,
                member.phase,
                snapshot.phase.title,
                cohort.quiz_questions,
                cohort.quiz_pass_percent,
                snapshot.track.placement_quiz and member.phase == 1,
                key.invite,
            )
            return reply, str(item.week)
        case DeliveryKind.MANAGER | DeliveryKind.MANAGER_AGAIN:
            again = key.kind is DeliveryKind.MANAGER_AGAIN
            reply = manager_prompt_reply(member.display_name, snapshot.plan_month, again)
            return reply, f"month-{snapshot.plan_month}"
        case (
            DeliveryKind.LEADERBOARD
            | DeliveryKind.DIGEST
            | DeliveryKind.NO_CHANNEL
            | DeliveryKind.ANNOUNCEMENT
        ):
            raise ValueError(f"a {key.kind} is not planned for one member")
        case _:
            assert_never(key.kind)
