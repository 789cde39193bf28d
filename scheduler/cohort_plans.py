"""What each cohort is due: the weekly leaderboard post in its channel, and its admins' notes.

Only the latest slot is ever planned. After downtime across a Friday the missed post still goes
out (catch-up), and an older one still waiting is skipped as stale when its next slot arrives.
The post and the digest name members, so they are planned here and rendered as they are sent
(``scheduler.send_time``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import assert_never

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, CohortAdmin
from bot.domain.deliveries import DeliveryKey, DeliveryKind, PlannedDelivery
from bot.services.admin_digest import STUCK, active_members, digest_changes
from bot.services.cohort_stats import checked_in_by
from bot.services.deliveries import find_planned
from bot.services.struggles import stuck_members
from bot.views.reminders import no_channel_reply
from scheduler.timing import Slot, latest_slot


async def cohort_deliveries(
    session: AsyncSession, now: datetime, content: ContentLibrary
) -> list[PlannedDelivery]:
    admins: dict[int, list[str]] = {}
    for cohort_id, user_id in await session.execute(
        select(CohortAdmin.cohort_id, CohortAdmin.user_id)
    ):
        admins.setdefault(cohort_id, []).append(user_id)
    due: list[tuple[Cohort, Slot, list[DeliveryKey]]] = []
    for cohort in await session.scalars(select(Cohort).where(Cohort.archived_at.is_(None))):
        slot = latest_slot(
            now, cohort.leaderboard_weekday, cohort.leaderboard_time, cohort.timezone
        )
        if slot.at >= cohort.created_at:
            due.append((cohort, slot, _keys(cohort, slot, admins.get(cohort.id, []))))
    planned = await find_planned(session, [key for _, _, keys in due for key in keys])
    deliveries: list[PlannedDelivery] = []
    for cohort, slot, keys in due:
        new = [key for key in keys if key not in planned]
        wants_digest = any(key.kind is DeliveryKind.DIGEST for key in new)
        digest = await _digest(session, cohort, slot, content) if wants_digest else None
        for key in new:
            match key.kind:
                case DeliveryKind.LEADERBOARD if not await checked_in_by(
                    session, cohort, slot.week, slot.at
                ):
                    pass  # a quiet week in the cohort: nothing to celebrate, no post
                case DeliveryKind.LEADERBOARD:
                    # The boards for the slot's week, rendered when sent: a catch-up shows its own.
                    deliveries.append(
                        PlannedDelivery(
                            key,
                            cohort.tenant_id,
                            None,
                            channel_id=cohort.channel_id,
                            period=str(slot.week),
                            stale_after=slot.at + timedelta(days=7),
                            cohort_id=cohort.id,
                        )
                    )
                case DeliveryKind.NO_CHANNEL:
                    reply = no_channel_reply(cohort.name)
                    deliveries.append(
                        PlannedDelivery(key, cohort.tenant_id, reply, user_id=key.admin)
                    )
                case DeliveryKind.DIGEST if digest is not None:
                    deliveries.append(
                        PlannedDelivery(
                            key,
                            cohort.tenant_id,
                            None,
                            user_id=key.admin,
                            period=str(slot.week),
                            stale_after=slot.at + timedelta(days=7),
                            cohort_id=cohort.id,
                            named=digest,
                        )
                    )
                case DeliveryKind.DIGEST:
                    pass  # no news, nobody stuck, nobody waiting for a follow-up: no digest
                case (
                    DeliveryKind.NUDGE
                    | DeliveryKind.QUIET
                    | DeliveryKind.GATE
                    | DeliveryKind.MANAGER
                    | DeliveryKind.MANAGER_AGAIN
                    | DeliveryKind.ANNOUNCEMENT
                    | DeliveryKind.RECAP
                ):
                    raise ValueError(f"a {key.kind} is not planned for a cohort")
                case _:
                    assert_never(key.kind)
    return deliveries


def _keys(cohort: Cohort, slot: Slot, admins: list[str]) -> list[DeliveryKey]:
    """The cohort's post (or, with no channel, each admin's one note) and each admin's digest."""
    if cohort.channel_id:
        keys = [DeliveryKey(DeliveryKind.LEADERBOARD, cohort.id, week=slot.week)]
    else:
        keys = [DeliveryKey(DeliveryKind.NO_CHANNEL, cohort.id, admin=a) for a in admins]
    keys += [DeliveryKey(DeliveryKind.DIGEST, cohort.id, week=slot.week, admin=a) for a in admins]
    return keys


async def _digest(
    session: AsyncSession, cohort: Cohort, slot: Slot, content: ContentLibrary
) -> dict[str, list[int]] | None:
    """Who the digest is about, by role, as member ids: what changed among quiet and
    unreachable members since the last digest (worked out, and remembered, now) and who seems
    stuck by their own check-ins; None when there is nothing to say. It names people only as
    it is sent."""
    changes = await digest_changes(session, cohort, slot.at)
    roadmap = content.roadmap(cohort.roadmap_key)
    stuck = await stuck_members(session, await active_members(session, cohort), roadmap, slot.week)
    if changes.empty and not stuck:
        return None
    return {**changes.member_ids(), STUCK: [found.member_id for found in stuck]}
