"""Gate-quiz attempts and their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class QuizAttempt(Base):
    """One attempt at one phase's gate (or the fast track's placement quiz).

    The drawn questions are stored, not re-drawn, so an attempt resumes with exactly the
    questions it started with even if the seed rule or the bank's order changes later.
    ``position`` is the index of the next question to answer; a button carries the position
    it was shown at, which is how a stale or repeated press is recognised.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("member_id", "phase", "number"),
        Index("ix_quiz_attempts_member_id_status", "member_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    phase: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per member and phase
    kind: Mapped[str] = mapped_column(String(12))  # "gate" or "placement"
    bank_key: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int] = mapped_column(BigInteger)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"id", "order"}]
    size: Mapped[int] = mapped_column(Integer)
    pass_percent: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12))  # open, passed, failed, void
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    advanced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class QuizAnswer(Base):
    """The answer given at one position; the key makes a second count impossible."""

    __tablename__ = "quiz_answers"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(40))
    option: Mapped[int] = mapped_column(Integer)  # the option's index in the bank
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())
