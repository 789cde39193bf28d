"""Records kept for operators: the audit log and the answers to already-handled requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class AuditEntry(Base):
    """Every admin action and every export or deletion. A deletion keeps no personal data.

    ``target_user_id`` is the person an action was about (an admin added or removed), so
    their export finds it and forgetting them clears it, as for the actor.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_user_id: Mapped[str | None] = mapped_column(String(64))
    target_user_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class HandledRequest(Base):
    """The reply given to a platform request id, so a retried delivery gets it again unchanged.

    A reply is found again only by the member and command it answered, as well as the id: a
    platform's id reused for someone else, or for another command, is a new request.
    """

    __tablename__ = "handled_requests"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "command", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    request_id: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    command: Mapped[str] = mapped_column(String(40))
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
