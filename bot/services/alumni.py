"""A cohort's alumni: the graduates who chose to stay visible to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Member


@dataclass(frozen=True)
class Alumnus:
    display_name: str
    graduated_at: datetime


async def visible_alumni(session: AsyncSession, cohort: Cohort) -> list[Alumnus]:
    """Graduates who opted in, in the order they graduated. Hiding from leaderboards still
    wins: a hidden member is named nowhere that other members look."""
    rows = await session.execute(
        select(Member.display_name, Member.graduated_at)
        .where(
            Member.cohort_id == cohort.id,
            Member.left_at.is_(None),
            Member.graduated_at.is_not(None),
            Member.alumni_visible.is_(True),
            Member.leaderboard_visible.is_(True),
        )
        .order_by(Member.graduated_at, Member.id)
    )
    return [Alumnus(name, graduated) for name, graduated in rows if graduated is not None]
