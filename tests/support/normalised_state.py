"""A database's state with what a platform chose taken out, so two platforms' runs compare.

Platform user and channel ids are replaced by the person or channel they name, surrogate keys
are dropped (rows are ordered by them instead), and only what the journey could change is kept:
every member, the cohorts they are in, their progress, quizzes, points, outbox and request log.
A quiz attempt keeps its score and answers but not its drawn questions, whose seed comes from
the member's row id. Adapter storage (Slack OAuth tables, Discord's long button arguments) and
the console's own demo cohort, which no member joins, are not journey state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

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
    Standing,
)

State = dict[str, Any]


async def normalised_state(engine: AsyncEngine, names: Mapping[str, str]) -> State:
    def named(platform_id: str | None) -> str | None:
        """An id the platform gave, as who or what it is; an unknown id stays visible."""
        return None if platform_id is None else names.get(platform_id, f"unknown id {platform_id}")

    async with AsyncSession(engine) as session:
        members = list(await session.scalars(select(Member).order_by(Member.id)))
        who = {m.id: named(m.user_id) for m in members}
        cohort_ids = sorted({m.cohort_id for m in members})
        cohorts = list(await session.scalars(select(Cohort).where(Cohort.id.in_(cohort_ids))))
        admins = list(await session.scalars(select(CohortAdmin)))
        checkins = await session.scalars(select(Checkin).order_by(Checkin.id))
        milestones = await session.scalars(
            select(MilestoneProgress).order_by(
                MilestoneProgress.done_at, MilestoneProgress.milestone_key
            )
        )
        attempts = list(await session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)))
        answers = list(await session.scalars(select(QuizAnswer)))
        awards = list(await session.scalars(select(PointAward).order_by(PointAward.id)))
        standings = await session.scalars(select(Standing))
        pauses = await session.scalars(select(Pause).order_by(Pause.id))
        deliveries = await session.scalars(select(Delivery).order_by(Delivery.id))
        audit = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        requests = await session.scalars(select(HandledRequest).order_by(HandledRequest.id))

        return {
            "cohorts": [
                {
                    **_columns(c, drop=("id", "tenant_id", "channel_id")),
                    "channel": named(c.channel_id),
                    "admins": sorted(named(a.user_id) or "" for a in admins if a.cohort_id == c.id),
                }
                for c in cohorts
            ],
            "members": [
                {**_columns(m, drop=("id", "tenant_id", "cohort_id", "user_id")), "who": who[m.id]}
                for m in members
            ],
            "checkins": [
                {**_columns(c, drop=("id", "member_id", "request_id")), "who": who[c.member_id]}
                for c in checkins
            ],
            "milestones": [
                {**_columns(m, drop=("member_id",)), "who": who[m.member_id]} for m in milestones
            ],
            "quiz attempts": [
                {
                    **_columns(a, drop=("id", "member_id", "seed", "questions")),
                    "who": who[a.member_id],
                    "answers": [
                        (answer.position, answer.correct, answer.answered_at)
                        for answer in sorted(answers, key=lambda x: x.position)
                        if answer.attempt_id == a.id
                    ],
                }
                for a in attempts
            ],
            "points": [
                {**_columns(p, drop=("id", "member_id")), "who": who[p.member_id]} for p in awards
            ],
            "points by reason": dict(_by_reason(awards)),
            "standings": [
                {**_columns(s, drop=("member_id",)), "who": who[s.member_id]} for s in standings
            ],
            "pauses": [
                {**_columns(p, drop=("id", "member_id")), "who": who[p.member_id]} for p in pauses
            ],
            "deliveries": [
                {
                    **_columns(
                        d,
                        drop=(
                            "id",
                            "tenant_id",
                            "member_id",
                            "idempotency_key",
                            "target_user_id",
                            "target_channel_id",
                            "payload",
                            "lease_owner",
                        ),
                    ),
                    "who": who.get(d.member_id or 0),
                    "to": named(d.target_user_id or d.target_channel_id),
                    "text": d.payload.get("text"),
                }
                for d in deliveries
            ],
            "audit": [
                {
                    **_columns(e, drop=("id", "tenant_id", "actor_user_id")),
                    "by": named(e.actor_user_id),
                }
                for e in audit
            ],
            "requests": [
                (named(r.user_id), r.command, r.handled_at, r.reply.get("text")) for r in requests
            ],
        }


def _columns(row: object, drop: tuple[str, ...]) -> dict[str, Any]:
    table = row.__table__  # type: ignore[attr-defined]
    return {c.key: getattr(row, c.key) for c in table.columns if c.key not in drop}


def _by_reason(awards: list[PointAward]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for award in awards:
        totals[award.kind] += award.points
    return totals
