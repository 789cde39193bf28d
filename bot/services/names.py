"""How the bot names a person it knows only by their platform id.

Slack sends a mention as a bare id (``<@U2147483697>``) and a cohort's admins are stored as
ids, but a reply should show people, not ids. The name someone has as a member here comes
first (it is refreshed by each of their commands); otherwise their platform is asked; the id
is shown only when neither knows them (the console's ids are names already).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, Tenant
from bot.ports import Directory


async def display_names(
    session: AsyncSession,
    tenant: Tenant,
    directory: Directory | None,
    user_ids: Sequence[str],
) -> dict[str, str]:
    """Each id's name, in the order given."""
    wanted = list(dict.fromkeys(user_ids))
    known: dict[str, str] = dict(
        (
            await session.execute(
                select(Member.user_id, Member.display_name).where(
                    Member.tenant_id == tenant.id, Member.user_id.in_(wanted)
                )
            )
        ).all()
    )
    names: dict[str, str] = {}
    for user_id in wanted:
        name = known.get(user_id)
        if not name and directory is not None:
            name = await directory.user_name(tenant.external_id, user_id)
        names[user_id] = name or user_id
    return names
