"""Signed links to the web pages, and the key that signs them.

A link is a random id kept here, so revoking one is deleting its row; the URL carries only that
id, its expiry and a signature, never a name or a database id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class WebLink(Base):
    """One link: a cohort's dashboard (``asked_by`` is the admin it was made for) or one
    member's roadmap (``member_id`` is that member)."""

    __tablename__ = "web_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    asked_by: Mapped[str | None] = mapped_column(String(64))
    # The admin held the role through the platform (a workspace admin, Manage Server) rather
    # than a cohort admin row, so each view asks the platform again.
    asked_as_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WebLinkSecret(Base):
    """The signing key when ``WEB_LINK_SECRET`` is unset: made once, read by every replica."""

    __tablename__ = "web_link_secret"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
