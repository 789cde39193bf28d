"""Which cohort a command means when a member does not say: one rule for every command."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort
from bot.services.tenancy import cohort_by_channel, cohort_by_name, cohorts


@dataclass(frozen=True)
class CohortChoice:
    cohort: Cohort | None
    names: tuple[str, ...]  # every cohort of the tenant, for a hint when none was chosen
    unknown: str | None = None  # a name that was given but matches no cohort


async def choose_cohort(
    session: AsyncSession,
    tenant_id: int,
    name: str | None,
    channel_id: str | None,
    own: Cohort | None = None,
) -> CohortChoice:
    """The named cohort; else the one whose channel this is; else ``own``; else the only one."""
    if name:
        named = await cohort_by_name(session, tenant_id, name)
        if named is not None:
            return CohortChoice(named, ())
        every = tuple(c.name for c in await cohorts(session, tenant_id))
        return CohortChoice(None, every, unknown=name[:40])
    here = await cohort_by_channel(session, tenant_id, channel_id)
    if here is not None:
        return CohortChoice(here, ())
    if own is not None:
        return CohortChoice(own, ())
    every_cohort = await cohorts(session, tenant_id)
    if len(every_cohort) == 1:
        return CohortChoice(every_cohort[0], ())
    return CohortChoice(None, tuple(c.name for c in every_cohort))
