"""Forgetting a person: every row about them deleted, every record that names them emptied.

Rows that belong to the member go with the member row (the rest cascades); rows keyed by
their platform id (admin roles, stored replies, messages to them, audit entries by or about
them) are deleted or cleared by that id. What other people's records say about them (an
admin's stored reply "… is now an admin", an old audit line) is found by text, their id or
their name as a whole word, and emptied. Only the fact that a deletion happened is kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from bot.db.models import (
    AuditEntry,
    ButtonArgs,
    Cohort,
    CohortAdmin,
    Delivery,
    HandledRequest,
    Member,
    WebLink,
)
from bot.messages import Reply, Section
from bot.reply_codec import reply_to_dict
from bot.services.web_links import forget_links

DELETED_USER = "deleted-user"
# What a retried request gets once its stored reply named someone who has since been forgotten.
FORGOTTEN_REPLY = reply_to_dict(Reply.of(Section("This was done already.")))


@dataclass(frozen=True)
class AdminRoles:
    """The cohorts someone administers, and those nobody else would administer without them
    (leaving only the workspace's or server's own admins)."""

    cohorts: tuple[str, ...]
    left_alone: tuple[str, ...]


async def admin_roles(session: AsyncSession, tenant_id: int, user_id: str) -> AdminRoles:
    other = aliased(CohortAdmin)
    others = (
        select(func.count())
        .where(other.cohort_id == Cohort.id, other.user_id != user_id)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(Cohort.name, others)
            .join(CohortAdmin, CohortAdmin.cohort_id == Cohort.id)
            .where(Cohort.tenant_id == tenant_id, CohortAdmin.user_id == user_id)
            .order_by(Cohort.name)
        )
    ).all()
    return AdminRoles(
        tuple(name for name, _ in rows), tuple(name for name, count in rows if not count)
    )


async def forget_user(session: AsyncSession, tenant_id: int, user_id: str, now: datetime) -> None:
    """Delete everything about ``user_id`` in this tenant; keep only that a deletion happened."""
    name = await session.scalar(
        select(Member.display_name).where(Member.tenant_id == tenant_id, Member.user_id == user_id)
    )
    member_ids = select(Member.id).where(Member.tenant_id == tenant_id, Member.user_id == user_id)
    await session.execute(delete(Delivery).where(Delivery.member_id.in_(member_ids)))
    await session.execute(
        delete(Delivery).where(Delivery.tenant_id == tenant_id, Delivery.target_user_id == user_id)
    )
    await session.execute(delete(WebLink).where(WebLink.member_id.in_(member_ids)))
    await forget_links(session, tenant_id, user_id)
    await session.execute(
        delete(Member).where(Member.tenant_id == tenant_id, Member.user_id == user_id)
    )
    await session.execute(
        delete(HandledRequest).where(
            HandledRequest.tenant_id == tenant_id, HandledRequest.user_id == user_id
        )
    )
    cohort_ids = select(Cohort.id).where(Cohort.tenant_id == tenant_id)
    await session.execute(
        delete(CohortAdmin).where(
            CohortAdmin.user_id == user_id, CohortAdmin.cohort_id.in_(cohort_ids)
        )
    )
    for role in (AuditEntry.actor_user_id, AuditEntry.target_user_id):
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.tenant_id == tenant_id, role == user_id)
            .values({role: DELETED_USER, AuditEntry.detail: ""})
        )
    await _empty_what_names_them(session, tenant_id, [user_id, *([name] if name else [])])
    session.add(
        AuditEntry(
            tenant_id=tenant_id, at=now, actor_user_id=None, action="member data deleted", detail=""
        )
    )


async def _empty_what_names_them(session: AsyncSession, tenant_id: int, words: list[str]) -> None:
    replies = await _naming(session, HandledRequest, HandledRequest.reply, tenant_id, words)
    if replies:
        await session.execute(
            update(HandledRequest)
            .where(HandledRequest.id.in_(replies))
            .values(reply=FORGOTTEN_REPLY)
        )
    lines = await _naming(session, AuditEntry, AuditEntry.detail, tenant_id, words)
    if lines:
        await session.execute(update(AuditEntry).where(AuditEntry.id.in_(lines)).values(detail=""))
    buttons = await _naming(session, ButtonArgs, ButtonArgs.args, tenant_id, words)
    if buttons:
        await session.execute(delete(ButtonArgs).where(ButtonArgs.id.in_(buttons)))


async def _naming(
    session: AsyncSession,
    model: type[HandledRequest] | type[AuditEntry] | type[ButtonArgs],
    column: InstrumentedAttribute[Any],
    tenant_id: int,
    words: list[str],
) -> list[int]:
    """Ids of this tenant's rows whose ``column`` holds one of ``words`` as a whole word.

    The database narrows the rows down with LIKE on the stored text (JSON as stored, with its
    escapes); each candidate is then checked for the whole word, so a short name ("Al") does
    not empty every record that happens to contain those letters.
    """
    stored = func.lower(cast(column, Text))
    likes: list[ColumnElement[bool]] = [
        stored.contains(json.dumps(word)[1:-1].lower(), autoescape=True) for word in words
    ]
    candidates = await session.execute(
        select(model.id, column).where(model.tenant_id == tenant_id, or_(*likes))
    )
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words), re.IGNORECASE
    )
    return [
        row_id
        for row_id, value in candidates
        if pattern.search(
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        )
    ]
