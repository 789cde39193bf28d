"""The audit log: every admin action and every export or deletion, written in the same
transaction as the change it records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry


def record(
    session: AsyncSession,
    tenant_id: int,
    now: datetime,
    action: str,
    actor_user_id: str | None,
    detail: str = "",
    *,
    target_user_id: str | None = None,
) -> None:
    """``target_user_id`` names the person the action is about, when it is about one."""
    session.add(
        AuditEntry(
            tenant_id=tenant_id,
            at=now,
            actor_user_id=actor_user_id,
            target_user_id=target_user_id,
            action=action,
            detail=detail,
        )
    )
