"""Tenants, cohorts, members and admins, always looked up inside one tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, bindparam, null, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, CohortAdmin, HandledRequest, Member, Tenant
from bot.db.upsert import insert_ignore
from bot.domain.weeks import local_date


async def ensure_tenant(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> Tenant:
    """The tenant, created on its first request; racing first requests agree on one row."""
    query = select(Tenant).where(Tenant.platform == platform, Tenant.external_id == external_id)
    tenant = await session.scalar(query)
    if tenant is not None:
        return tenant
    await insert_ignore(
        session,
        Tenant,
        [{"platform": platform, "external_id": external_id, "created_at": now}],
        ("platform", "external_id"),
    )
    tenant = await session.scalar(query)
    assert tenant is not None
    return tenant


async def ensure_cohort(
    session: AsyncSession,
    tenant_id: int,
    name: str,
    *,
    channel: str,
    timezone: str,
    first_admin: str,
    now: datetime,
) -> bool:
    """Create the cohort with its channel and first admin unless it exists; return whether it
    was created just now. It starts on today's date in its own timezone."""
    if await cohort_by_name(session, tenant_id, name) is not None:
        return False
    cohort = Cohort(
        tenant_id=tenant_id,
        name=name,
        start_date=local_date(now, timezone),
        timezone=timezone,
        channel_id=channel,
        channel_name=channel,
        created_at=now,
    )
    session.add(cohort)
    await session.flush()
    session.add(CohortAdmin(cohort_id=cohort.id, user_id=first_admin, added_at=now))
    return True


async def find_member(session: AsyncSession, tenant_id: int, user_id: str) -> Member | None:
    return await session.scalar(
        select(Member).where(Member.tenant_id == tenant_id, Member.user_id == user_id)
    )


async def find_member_and_cohort(
    session: AsyncSession, tenant_id: int, user_id: str
) -> tuple[Member, Cohort] | None:
    """The member and their cohort, with the member's row locked for this transaction.

    Every write about a member reads before it writes (a check-in's amendment count, an open
    pause, a quiz position), so two of their requests at once must take turns: SQLite makes
    them by taking the write lock at BEGIN; on PostgreSQL this row lock does. It is the weaker
    ``FOR NO KEY UPDATE``, which rows that only refer to the member never wait for.
    """
    row = (
        await session.execute(
            select(Member, Cohort)
            .join(Cohort, Cohort.id == Member.cohort_id)
            .where(Member.tenant_id == tenant_id, Member.user_id == user_id)
            .with_for_update(of=Member, key_share=True)
        )
    ).first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True)
class KnownMember:
    tenant: Tenant
    member: Member
    cohort: Cohort
    earlier_reply: dict[str, Any] | None  # the stored answer to this very request, if any


async def known_member(
    session: AsyncSession,
    platform: str,
    external_id: str,
    user_id: str,
    *,
    request: tuple[str, str] | None,
    lock: bool,
) -> KnownMember | None:
    """The tenant, the member and their cohort in one query, with the stored answer to
    ``request`` (command, request id) when there is one; None for someone not yet a member.

    The everyday path of a member's command: the three lookups it replaces cost three turns
    of a busy database. ``lock`` takes the member's row lock, as ``find_member_and_cohort``.
    """
    values = {"platform": platform, "external_id": external_id, "user_id": user_id}
    if request is not None:
        values["command"], values["request_id"] = request
    query = _KNOWN_MEMBER[(request is not None, lock)]
    row = (await session.execute(query, values)).first()
    if row is None:
        return None
    tenant, member, cohort, reply = row
    return KnownMember(tenant, member, cohort, reply)


def _known_member_query(with_request: bool, lock: bool) -> Select[Any]:
    """Built once per shape and bound at each execution: building it anew for every command
    cost about as much as running it."""
    user_id = bindparam("user_id", type_=String())
    earlier: Any = null()
    if with_request:
        earlier = (
            select(HandledRequest.reply)
            .where(
                HandledRequest.tenant_id == Tenant.id,
                HandledRequest.user_id == user_id,
                HandledRequest.command == bindparam("command", type_=String()),
                HandledRequest.request_id == bindparam("request_id", type_=String()),
            )
            .scalar_subquery()
        )
    query = (
        select(Tenant, Member, Cohort, earlier)
        .join(Member, Member.tenant_id == Tenant.id)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .where(
            Tenant.platform == bindparam("platform", type_=String()),
            Tenant.external_id == bindparam("external_id", type_=String()),
            Member.user_id == user_id,
        )
    )
    return query.with_for_update(of=Member, key_share=True) if lock else query


_KNOWN_MEMBER = {
    (with_request, lock): _known_member_query(with_request, lock)
    for with_request in (True, False)
    for lock in (True, False)
}


async def cohort_by_name(session: AsyncSession, tenant_id: int, name: str) -> Cohort | None:
    return await session.scalar(
        select(Cohort).where(Cohort.tenant_id == tenant_id, Cohort.name == name.lower())
    )


async def cohort_by_channel(
    session: AsyncSession, tenant_id: int, channel_id: str | None
) -> Cohort | None:
    """The open cohort that posts in this channel: an archived one hands its channel on."""
    if not channel_id:
        return None
    return await session.scalar(
        select(Cohort).where(
            Cohort.tenant_id == tenant_id,
            Cohort.channel_id == channel_id,
            Cohort.archived_at.is_(None),
        )
    )


async def cohorts(session: AsyncSession, tenant_id: int) -> list[Cohort]:
    result = await session.scalars(
        select(Cohort).where(Cohort.tenant_id == tenant_id).order_by(Cohort.name)
    )
    return list(result)


async def admin_cohort_ids(session: AsyncSession, tenant_id: int, user_id: str) -> set[int]:
    """The cohorts of this tenant that ``user_id`` administers in the database."""
    result = await session.scalars(
        select(CohortAdmin.cohort_id)
        .join(Cohort, Cohort.id == CohortAdmin.cohort_id)
        .where(Cohort.tenant_id == tenant_id, CohortAdmin.user_id == user_id)
    )
    return set(result)


async def cohort_admin_ids(session: AsyncSession, cohort_id: int) -> list[str]:
    result = await session.scalars(
        select(CohortAdmin.user_id)
        .where(CohortAdmin.cohort_id == cohort_id)
        .order_by(CohortAdmin.user_id)
    )
    return list(result)


async def member_tenant_ids(session: AsyncSession, platform: str, user_id: str) -> list[str]:
    """The workspaces or guilds where ``user_id`` is a member or a cohort admin, for requests
    that arrive outside any of them (a Discord DM), so the bot can tell where the person
    belongs: an admin who is in no cohort still presses the buttons of their digest there."""
    members = (
        select(Tenant.external_id)
        .join(Member, Member.tenant_id == Tenant.id)
        .where(Tenant.platform == platform, Member.user_id == user_id)
    )
    admins = (
        select(Tenant.external_id)
        .join(Cohort, Cohort.tenant_id == Tenant.id)
        .join(CohortAdmin, CohortAdmin.cohort_id == Cohort.id)
        .where(Tenant.platform == platform, CohortAdmin.user_id == user_id)
    )
    result = await session.scalars(union(members, admins).order_by("external_id"))
    return list(result)
