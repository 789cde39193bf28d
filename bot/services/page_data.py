"""What each web page shows, read inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Roadmap
from bot.db.models import Cohort, Member
from bot.pages import DashboardMember, DashboardPage, RoadmapPage


async def dashboard_page(
    session: AsyncSession, cohort: Cohort, roadmap: Roadmap, now: datetime
) -> DashboardPage:
    del roadmap
    members = (
        await session.scalars(
            select(Member).where(Member.cohort_id == cohort.id, Member.left_at.is_(None))
        )
    ).all()
    return DashboardPage(
        cohort_name=cohort.name,
        generated_at=now,
        members=tuple(DashboardMember(name=m.display_name) for m in members),
    )


async def roadmap_page(
    session: AsyncSession, member: Member, cohort: Cohort, roadmap: Roadmap, now: datetime
) -> RoadmapPage:
    del session, roadmap
    return RoadmapPage(member_name=member.display_name, cohort_name=cohort.name, generated_at=now)
