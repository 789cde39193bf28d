"""Button arguments too long for a platform's button id, kept behind a short token."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class ButtonArgs(Base):
    """A button's command and arguments, named by a token derived from them.

    Discord's ``custom_id`` holds 100 characters; a button whose arguments need more carries
    only the token, and the press is answered from this row, after a restart as before it.
    """

    __tablename__ = "button_args"
    __table_args__ = (UniqueConstraint("tenant_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(24))
    command: Mapped[str] = mapped_column(String(40))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
