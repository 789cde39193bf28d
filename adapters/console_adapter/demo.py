"""The demo workspace: cohort ``demo`` on ``#pivot-demo``, created once with its first admin."""

from __future__ import annotations

from bot.core import PivotCore
from bot.messages import CONSOLE

TENANT = "demo"
COHORT = "demo"
CHANNEL = "pivot-demo"


async def ensure_demo(core: PivotCore, timezone: str, first_user: str) -> bool:
    """Create the demo cohort if missing; return whether it was created just now.

    It starts on the simulated date the database is first created, so a fresh console always
    begins in month 1.
    """
    return await core.records.ensure_cohort(
        CONSOLE, TENANT, COHORT, channel=CHANNEL, timezone=timezone, first_admin=first_user
    )
