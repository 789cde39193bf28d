"""Members of a cohort and their pauses."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(80))
    track: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    nudge_weekday: Mapped[int] = mapped_column(Integer, default=0)
    nudge_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())
    plan_start: Mapped[date] = mapped_column(Date)
    phase: Mapped[int] = mapped_column(Integer, default=1)
    phase_started_on: Mapped[date] = mapped_column(Date)
    leaderboard_visible: Mapped[bool] = mapped_column(Boolean, default=True)
    dms_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # "supported", "unsupported" or "later": the answer to the manager-conversation prompt.
    manager_outcome: Mapped[str | None] = mapped_column(String(16))
    # Why DMs to this member cannot be delivered (closed DMs, left the workspace), for admins.
    dm_problem: Mapped[str | None] = mapped_column(String(200))
    # Passing the final gate with every milestone done ends the plan: no more nudges, gates
    # or board entries. The history stays, for the member and their export.
    graduated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # An alumnus may choose to stay visible to the cohort: a line in the weekly post, no rank.
    alumni_visible: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The member's own phases after a re-plan or an extension, as [offset, months] pairs
    # counted in months from ``plan_start``; None while the plan follows the track.
    phase_plan: Mapped[list[list[int]] | None] = mapped_column(JSON)


class Pause(Base):
    """A pause is kept after it ends, because streaks must skip paused weeks forever after."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
