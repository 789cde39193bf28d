"""The points ledger and each member's standing, both derived from events.

Neither table is the truth: check-ins, milestones, pauses and quiz attempts are. Both are
rebuilt for a member after every event that can change them, and for a whole cohort by
``recompute``; they exist so a 5,000-member leaderboard is one indexed query.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class PointAward(Base):
    """One award, named by its source event, e.g. ``milestone:docker`` or ``checkin:2026-W53``."""

    __tablename__ = "point_awards"
    __table_args__ = (
        UniqueConstraint("member_id", "source"),
        # Covers the week board: one index range, no table rows read.
        Index("ix_point_awards_week_member_id", "week", "member_id", "points", "earned_at"),
        # A member's awards dated after today (points waiting for a plan date), which the
        # all-time and phase boards leave out until their day: one short range per member.
        Index("ix_point_awards_member_id_earned_at", "member_id", "earned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12))
    points: Mapped[int] = mapped_column(Integer)
    phase: Mapped[int] = mapped_column(Integer)
    week: Mapped[str] = mapped_column(String(8))
    earned_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Standing(Base):
    """What the boards rank a member by, kept free of "now" so it never goes stale by itself.

    Plan dates are stored as day ordinals so the pace board is integer arithmetic in SQL on
    SQLite and PostgreSQL alike: ``done_target_day`` is the target date of the last required
    milestone the member has accounted for, ``next_target_day`` the one after it.
    """

    __tablename__ = "standings"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    points_total: Mapped[int] = mapped_column(Integer, default=0)
    points_phase: Mapped[int] = mapped_column(Integer, default=0)
    last_earned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    required_done: Mapped[int] = mapped_column(Integer, default=0)
    plan_start_day: Mapped[int] = mapped_column(Integer)
    plan_days: Mapped[int] = mapped_column(Integer)
    done_target_day: Mapped[int | None] = mapped_column(Integer)
    next_target_day: Mapped[int | None] = mapped_column(Integer)
    last_checkin_week: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
