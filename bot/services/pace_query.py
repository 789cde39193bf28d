"""Pace in SQL: the rule of ``bot.domain.pace.pace_at`` over the stored standings.

Each member's pace is measured on their own calendar day, as ``status`` measures it, so the
pace board and the cohort chart agree with what each member reads about themselves even in
the hours when the cohort's date and theirs differ.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, case, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Member, Standing
from bot.domain.pace import WEEK
from bot.domain.weeks import local_date


async def members_today(session: AsyncSession, cohort: Cohort, now: datetime) -> ColumnElement[int]:
    """Today (a day ordinal) in each active member's own timezone, as one SQL expression.

    A cohort's members live in a handful of timezones, so this is one small ``CASE``.
    """
    zones = await session.scalars(
        select(Member.timezone)
        .where(Member.cohort_id == cohort.id, Member.left_at.is_(None))
        .distinct()
    )
    days = {zone: local_date(now, zone).toordinal() for zone in zones}
    fallback = local_date(now, cohort.timezone).toordinal()
    if not days:
        return literal(fallback)
    return case(days, value=Member.timezone, else_=fallback)


def is_behind(today: ColumnElement[int]) -> ColumnElement[bool]:
    return today - Standing.next_target_day >= WEEK


def on_or_ahead(today: ColumnElement[int]) -> ColumnElement[bool]:
    return or_(Standing.next_target_day.is_(None), today - Standing.next_target_day < WEEK)


def weeks_ahead(today: ColumnElement[int]) -> ColumnElement[int]:
    """Whole weeks ahead of the plan, 0 for on track (or behind)."""
    lead = Standing.done_target_day - today
    return case((lead >= WEEK, lead // WEEK), else_=0)
