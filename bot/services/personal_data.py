"""What we store about a person, in one place: every feature that keeps personal data adds its
exporter here, and deletion removes the member row (the rest cascades) plus what is keyed by
user id rather than by member."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    AuditEntry,
    Checkin,
    Cohort,
    CohortAdmin,
    Delivery,
    HandledRequest,
    Member,
    MilestoneProgress,
    Pause,
    PointAward,
    QuizAnswer,
    QuizAttempt,
)

DELETED_ACTOR = "deleted-user"
Exporter = Callable[[AsyncSession, Member], Awaitable[list[dict[str, Any]]]]


async def _checkins(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Checkin).where(Checkin.member_id == member.id).order_by(Checkin.week_start)
    )
    return [
        {
            "iso_week": r.iso_week,
            "hours": r.hours,
            "summary": r.summary,
            "blockers": r.blockers,
            "confidence": r.confidence,
            "created_at": r.created_at.isoformat(),
            "updated_at": r.updated_at.isoformat(),
            "amendments": r.amendments,
        }
        for r in rows
    ]


async def _milestones(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(MilestoneProgress)
        .where(MilestoneProgress.member_id == member.id)
        .order_by(MilestoneProgress.done_at)
    )
    return [
        {
            "milestone": r.milestone_key,
            "done_at": r.done_at.isoformat(),
            "evidence_url": r.evidence_url,
        }
        for r in rows
    ]


async def _pauses(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Pause).where(Pause.member_id == member.id).order_by(Pause.starts_at)
    )
    return [{"starts_at": r.starts_at.isoformat(), "ends_at": r.ends_at.isoformat()} for r in rows]


async def _messages(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Delivery).where(Delivery.member_id == member.id).order_by(Delivery.created_at)
    )
    return [
        {
            "kind": r.kind,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
            "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            "text": r.payload.get("text"),
        }
        for r in rows
    ]


async def _quiz_attempts(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    attempts = list(
        await session.scalars(
            select(QuizAttempt).where(QuizAttempt.member_id == member.id).order_by(QuizAttempt.id)
        )
    )
    answers: dict[int, list[dict[str, Any]]] = {a.id: [] for a in attempts}
    for row in await session.scalars(
        select(QuizAnswer)
        .where(QuizAnswer.attempt_id.in_(list(answers)))
        .order_by(QuizAnswer.attempt_id, QuizAnswer.position)
    ):
        answers[row.attempt_id].append(
            {
                "question": row.question_id,
                "option_index": row.option,
                "correct": row.correct,
                "answered_at": row.answered_at.isoformat(),
            }
        )
    return [
        {
            "phase": a.phase,
            "kind": a.kind,
            "attempt": a.number,
            "bank": a.bank_key,
            "status": a.status,
            "questions": a.size,
            "correct": a.correct,
            "pass_percent": a.pass_percent,
            "started_at": a.started_at.isoformat(),
            "finished_at": a.finished_at.isoformat() if a.finished_at else None,
            "retry_at": a.retry_at.isoformat() if a.retry_at else None,
            "advanced_at": a.advanced_at.isoformat() if a.advanced_at else None,
            "answers": answers[a.id],
        }
        for a in attempts
    ]


async def _points(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(PointAward)
        .where(PointAward.member_id == member.id)
        .order_by(PointAward.earned_at, PointAward.source)
    )
    return [
        {
            "for": r.source,
            "points": r.points,
            "phase": r.phase,
            "week": r.week,
            "earned_at": r.earned_at.isoformat(),
        }
        for r in rows
    ]


EXPORTERS: dict[str, Exporter] = {
    "checkins": _checkins,
    "milestones": _milestones,
    "pauses": _pauses,
    "messages": _messages,
    "quiz_attempts": _quiz_attempts,
    "points": _points,
}


async def export_member(
    session: AsyncSession, member: Member, cohort: Cohort | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "member": {
            "user_id": member.user_id,
            "display_name": member.display_name,
            "cohort": cohort.name if cohort else None,
            "track": member.track,
            "level": member.level,
            "timezone": member.timezone,
            "nudge_weekday": member.nudge_weekday,
            "nudge_time": member.nudge_time.strftime("%H:%M"),
            "joined_at": member.joined_at.isoformat(),
            "plan_start": member.plan_start.isoformat(),
            "phase": member.phase,
            "leaderboard_visible": member.leaderboard_visible,
            "dms_enabled": member.dms_enabled,
            "left_at": member.left_at.isoformat() if member.left_at else None,
            "graduated_at": member.graduated_at.isoformat() if member.graduated_at else None,
            "alumni_visible": member.alumni_visible,
            "phase_plan": member.phase_plan,
        }
    }
    for name, exporter in EXPORTERS.items():
        data[name] = await exporter(session, member)
    return data


async def forget_user(session: AsyncSession, tenant_id: int, user_id: str, now: datetime) -> None:
    """Delete everything about ``user_id`` in this tenant; keep only that a deletion happened."""
    member_ids = select(Member.id).where(Member.tenant_id == tenant_id, Member.user_id == user_id)
    await session.execute(delete(Delivery).where(Delivery.member_id.in_(member_ids)))
    await session.execute(
        delete(Delivery).where(Delivery.tenant_id == tenant_id, Delivery.target_user_id == user_id)
    )
    await session.execute(
        delete(Member).where(Member.tenant_id == tenant_id, Member.user_id == user_id)
    )
    await session.execute(
        delete(HandledRequest).where(
            HandledRequest.tenant_id == tenant_id, HandledRequest.user_id == user_id
        )
    )
    cohort_ids = select(Cohort.id).where(Cohort.tenant_id == tenant_id)
    await session.execute(
        delete(CohortAdmin).where(
            CohortAdmin.user_id == user_id, CohortAdmin.cohort_id.in_(cohort_ids)
        )
    )
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.tenant_id == tenant_id, AuditEntry.actor_user_id == user_id)
        .values(actor_user_id=DELETED_ACTOR, detail="")
    )
    session.add(
        AuditEntry(
            tenant_id=tenant_id, at=now, actor_user_id=None, action="member data deleted", detail=""
        )
    )
