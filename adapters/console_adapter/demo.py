"""The demo workspace: cohort ``demo`` on ``#pivot-demo``, created once with its first admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cohort, CohortAdmin
from bot.domain.weeks import local_date
from bot.services.tenancy import cohort_by_name, ensure_tenant

PLATFORM = "console"
TENANT = "demo"
COHORT = "demo"
CHANNEL = "pivot-demo"


async def ensure_demo(
    sessions: async_sessionmaker[AsyncSession], now: datetime, timezone: str, first_user: str
) -> bool:
    """Create the demo cohort if missing; return whether it was created just now.

    It starts on the simulated date the database is first created, so a fresh console always
    begins in month 1.
    """
    async with sessions() as session, session.begin():
        tenant = await ensure_tenant(session, PLATFORM, TENANT, now)
        if await cohort_by_name(session, tenant.id, COHORT) is not None:
            return False
        cohort = Cohort(
            tenant_id=tenant.id,
            name=COHORT,
            start_date=local_date(now, timezone),
            timezone=timezone,
            channel_id=CHANNEL,
            channel_name=CHANNEL,
            created_at=now,
        )
        session.add(cohort)
        await session.flush()
        session.add(CohortAdmin(cohort_id=cohort.id, user_id=first_user, added_at=now))
        return True
