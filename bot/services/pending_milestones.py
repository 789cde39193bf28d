"""The milestones a member could tick off next, for check-in forms that offer them as choices.

A read outside the dispatcher: a form must open within the platform's few seconds, before any
command runs, and it changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, MilestoneProgress, Tenant
from bot.messages import ChatUser, MilestoneChoice
from bot.services.tenancy import find_member


async def pending_milestones(
    session: AsyncSession, content: ContentLibrary, user: ChatUser
) -> tuple[MilestoneChoice, ...] | None:
    """The open milestones of the member's current phase, or None when they are not a member."""
    tenant_id = await session.scalar(
        select(Tenant.id).where(
            Tenant.platform == user.platform, Tenant.external_id == user.tenant_id
        )
    )
    if tenant_id is None:
        return None
    member = await find_member(session, tenant_id, user.user_id)
    if member is None or member.left_at is not None:
        return None
    roadmap_key = await session.scalar(
        select(Cohort.roadmap_key).where(
            Cohort.tenant_id == tenant_id, Cohort.id == member.cohort_id
        )
    )
    done = set(
        await session.scalars(
            select(MilestoneProgress.milestone_key).where(MilestoneProgress.member_id == member.id)
        )
    )
    phase = content.roadmap(roadmap_key).phase(member.phase)
    return tuple(MilestoneChoice(m.key, m.title) for m in phase.milestones if m.key not in done)
