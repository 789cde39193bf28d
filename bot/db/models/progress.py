"""What a member has done: milestones and weekly check-ins."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class MilestoneProgress(Base):
    __tablename__ = "milestone_progress"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    milestone_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(UtcDateTime())
    evidence_url: Mapped[str | None] = mapped_column(String(500))


class Checkin(Base):
    """One per member and ISO week (in the member's timezone); a second one amends the first."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("member_id", "iso_week"),
        # The cohort's weekly check-in rate counts one week across every member.
        Index("ix_checkins_iso_week_member_id", "iso_week", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    iso_week: Mapped[str] = mapped_column(String(8))
    week_start: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(String(500))
    blockers: Mapped[str | None] = mapped_column(String(500))
    confidence: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    amendments: Mapped[int] = mapped_column(Integer, default=0)
    request_id: Mapped[str | None] = mapped_column(String(128))
