"""What the cohort admins' weekly digest last said about each member it named."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class DigestNote(Base):
    """One member as the cohort's last digest left them, so the next digest can say what
    changed (newly quiet, back, newly unreachable) instead of repeating itself; and, once an
    admin has followed them up, until when the digest leaves them out."""

    __tablename__ = "digest_notes"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    followed_up_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
