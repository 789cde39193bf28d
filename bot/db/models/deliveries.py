"""The durable outbox: every DM and channel post is a row before it is a message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, EnumText, UtcDateTime
from bot.domain.deliveries import DeliveryKind, DeliveryStatus


class Delivery(Base):
    """One message to send exactly once, named by its key, e.g. ``nudge:42:2026-W48``."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # Claims walk this in order and stop after one batch, however many rows wait.
        Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at", "id"),
        Index("ix_deliveries_kind_period", "kind", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    # The cohort a post or digest is rendered for as it is sent (see RENDERED_AT_SEND).
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    kind: Mapped[DeliveryKind] = mapped_column(EnumText(DeliveryKind, 32))
    period: Mapped[str | None] = mapped_column(String(16))  # e.g. "2026-W48" or "month-3"
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    target_user_id: Mapped[str | None] = mapped_column(String(64))
    target_channel_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the reply; {} if rendered at send
    status: Mapped[DeliveryStatus] = mapped_column(
        EnumText(DeliveryStatus, 20), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    stale_after: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    platform_message_id: Mapped[str | None] = mapped_column(String(128))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SendBudget(Base):
    """One send-rate cap's state: a platform's, or one tenant's on that platform.

    It lives in the database so that every replica spends from the same budget: three
    replicas with a cap of one message a second per workspace send one a second to it
    together, not three.
    """

    __tablename__ = "send_budgets"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)  # "slack" or "tenant:42"
    platform: Mapped[str] = mapped_column(String(16))
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    ready_at: Mapped[datetime] = mapped_column(UtcDateTime())  # when the next send may go
