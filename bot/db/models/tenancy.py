"""Tenants (a Slack workspace or a Discord guild), their cohorts, and who runs each cohort."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class Tenant(Base):
    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Cohort(Base):
    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    channel_name: Mapped[str | None] = mapped_column(String(80))
    leaderboard_weekday: Mapped[int] = mapped_column(Integer, default=4)
    leaderboard_time: Mapped[time] = mapped_column(Time, default=time(16, 0))
    roadmap_key: Mapped[str] = mapped_column(String(40), default="standard")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The gate quiz, set by `/pivot cohort quiz`; an attempt keeps the values it started with.
    quiz_questions: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    quiz_pass_percent: Mapped[int] = mapped_column(Integer, default=80, server_default="80")
    quiz_cooldown_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    quiz_bank: Mapped[str] = mapped_column(
        String(40), default="standard", server_default="standard"
    )
    # Set by `/pivot cohort archive`: no posts, nudges or new members from then on.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CohortAdmin(Base):
    """An organiser stored in the database, beside the platform's own admins."""

    __tablename__ = "cohort_admins"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
