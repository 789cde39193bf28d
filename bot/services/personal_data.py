"""What we store about a person, in one place: every feature that keeps personal data adds its
part of the export here (``bot.services.forgetting`` deletes the same)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    AuditEntry,
    Checkin,
    Cohort,
    CohortAdmin,
    Delivery,
    DigestNote,
    HandledRequest,
    Member,
    MilestoneProgress,
    Pause,
    PointAward,
    QuizAnswer,
    QuizAttempt,
    Standing,
    WebLink,
)

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
    """Messages about them, and messages to them (an admin's digests and notes)."""
    rows = await session.scalars(
        select(Delivery)
        .where(
            or_(
                Delivery.member_id == member.id,
                and_(
                    Delivery.tenant_id == member.tenant_id,
                    Delivery.target_user_id == member.user_id,
                ),
            )
        )
        .order_by(Delivery.created_at, Delivery.id)
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


async def _digest_notes(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    """What the cohort admins' digest last noted about the member, and any follow-up."""
    rows = await session.execute(
        select(Cohort.name, DigestNote)
        .join(Cohort, Cohort.id == DigestNote.cohort_id)
        .where(DigestNote.member_id == member.id)
    )
    return [
        {
            "cohort": cohort,
            "noted_as_quiet": note.quiet,
            "noted_as_unreachable": note.unreachable,
            "followed_up_until": (
                note.followed_up_until.isoformat() if note.followed_up_until else None
            ),
        }
        for cohort, note in rows
    ]


async def _standing(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    row = await session.get(Standing, member.id)
    if row is None:
        return []
    return [
        {
            "points_total": row.points_total,
            "points_this_phase": row.points_phase,
            "required_milestones_done": row.required_done,
            "last_checkin_week": row.last_checkin_week,
            "updated_at": row.updated_at.isoformat(),
        }
    ]


async def _admin_roles(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Cohort.name, CohortAdmin.added_at)
        .join(Cohort, Cohort.id == CohortAdmin.cohort_id)
        .where(Cohort.tenant_id == member.tenant_id, CohortAdmin.user_id == member.user_id)
        .order_by(Cohort.name)
    )
    return [{"cohort": name, "added_at": added.isoformat()} for name, added in rows]


async def _audit(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.tenant_id == member.tenant_id,
            or_(
                AuditEntry.actor_user_id == member.user_id,
                AuditEntry.target_user_id == member.user_id,
            ),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        {
            "at": r.at.isoformat(),
            "action": r.action,
            "by_you": r.actor_user_id == member.user_id,
            "about_you": r.target_user_id == member.user_id,
            "detail": r.detail,
        }
        for r in rows
    ]


async def _stored_replies(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    """The answers kept so a platform's retry gets the same one; they quote what was written."""
    rows = await session.scalars(
        select(HandledRequest)
        .where(
            HandledRequest.tenant_id == member.tenant_id,
            HandledRequest.user_id == member.user_id,
        )
        .order_by(HandledRequest.handled_at, HandledRequest.id)
    )
    return [
        {
            "command": r.command,
            "handled_at": r.handled_at.isoformat(),
            "reply": r.reply.get("text"),
        }
        for r in rows
    ]


async def _web_links(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    """Links to web pages made for them: which page and until when, never the link itself,
    which is a key and does not belong in a file that may be passed around."""
    rows = await session.scalars(
        select(WebLink)
        .where(
            WebLink.tenant_id == member.tenant_id,
            or_(WebLink.member_id == member.id, WebLink.asked_by == member.user_id),
        )
        .order_by(WebLink.created_at, WebLink.id)
    )
    cohorts = {
        c.id: c.name
        for c in await session.scalars(select(Cohort).where(Cohort.tenant_id == member.tenant_id))
    }
    return [
        {
            "page": r.kind,
            "cohort": cohorts.get(r.cohort_id),
            "made_at": r.created_at.isoformat(),
            "expires_at": r.expires_at.isoformat(),
        }
        for r in rows
    ]


@dataclass(frozen=True)
class ExportPart:
    """One part of the export and the tables it reads, so a test can tell that every table
    holding something about a person is exported."""

    name: str
    tables: tuple[str, ...]
    read: Exporter


EXPORT_PARTS = (
    ExportPart("checkins", ("checkins",), _checkins),
    ExportPart("milestones", ("milestone_progress",), _milestones),
    ExportPart("pauses", ("pauses",), _pauses),
    ExportPart("messages", ("deliveries",), _messages),
    ExportPart("quiz_attempts", ("quiz_attempts", "quiz_answers"), _quiz_attempts),
    ExportPart("points", ("point_awards",), _points),
    ExportPart("standing", ("standings",), _standing),
    ExportPart("admin_roles", ("cohort_admins",), _admin_roles),
    ExportPart("audit", ("audit_log",), _audit),
    ExportPart("stored_replies", ("handled_requests",), _stored_replies),
    ExportPart("admin_digest_notes", ("digest_notes",), _digest_notes),
    ExportPart("web_links", ("web_links",), _web_links),
)


def exported_tables() -> set[str]:
    """Every table the export reads, the member's own row included."""
    return {"members"} | {table for part in EXPORT_PARTS for table in part.tables}


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
    for part in EXPORT_PARTS:
        data[part.name] = await part.read(session, member)
    return data
