"""Moving a member to the next phase once their gate is passed and their milestones are done.

Passing the phase-4 gate with every phase-4 milestone done is graduation: the member has
completed the roadmap. They stay in phase 4 (there is no phase 5), ``graduated_at`` records
when, and the plan is over: no nudge, gate, recap or board entry after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, Member, QuizAttempt
from bot.domain.deliveries import PLAN_REMINDERS, DeliveryKey, DeliveryKind, PlannedDelivery
from bot.domain.gates import LAST_PHASE
from bot.domain.weeks import local_date
from bot.messages import Reply, Section
from bot.services.deliveries import cancel_waiting_reminders, enqueue
from bot.services.points import sync_member_points
from bot.services.quizzes import PASSED, PLACEMENT
from bot.services.snapshot import load_snapshot


@dataclass(frozen=True)
class Advancement:
    passed_phase: int
    new_phase: int
    placement: bool
    announced: bool

    @property
    def graduated(self) -> bool:
        return self.passed_phase == LAST_PHASE


async def advance_if_ready(
    session: AsyncSession, member: Member, cohort: Cohort, content: ContentLibrary, now: datetime
) -> Advancement | None:
    """Advance the member if this phase's gate is passed and nothing required is missing.

    A placement pass needs no phase-1 milestones: the quiz is the evidence. Idempotent: the
    pass is marked with ``advanced_at``, so a second call finds nothing to do.
    """
    waiting = await session.scalar(
        select(QuizAttempt)
        .where(
            QuizAttempt.member_id == member.id,
            QuizAttempt.phase == member.phase,
            QuizAttempt.status == PASSED,
            QuizAttempt.advanced_at.is_(None),
        )
        .order_by(QuizAttempt.id)
    )
    if waiting is None:
        return None
    placement = waiting.kind == PLACEMENT
    if not placement:
        roadmap = content.roadmap(cohort.roadmap_key)
        snapshot = await load_snapshot(session, member, cohort, roadmap, now)
        if snapshot.missing_required:
            return None
    passed = member.phase
    waiting.advanced_at = now
    if passed < LAST_PHASE:
        member.phase = passed + 1
        member.phase_started_on = local_date(now, member.timezone)
    else:
        await graduate(session, member, now)
    announced = await _announce(session, member, cohort, content, passed, placement, now)
    await sync_member_points(session, member, cohort, content, now)
    return Advancement(passed, member.phase, placement, announced)


async def graduate(session: AsyncSession, member: Member, now: datetime) -> None:
    """The plan ends: the scheduler plans nothing more for the member, and what it had
    planned but not yet sent is stopped."""
    member.graduated_at = now
    await cancel_waiting_reminders(session, member.id, PLAN_REMINDERS, "the member graduated")


async def _announce(
    session: AsyncSession,
    member: Member,
    cohort: Cohort,
    content: ContentLibrary,
    passed: int,
    placement: bool,
    now: datetime,
) -> bool:
    """Tell the cohort channel, unless the member hides from leaderboards or there is none."""
    if not member.leaderboard_visible or cohort.channel_id is None:
        return False
    phase = content.roadmap(cohort.roadmap_key).phase(member.phase)
    if passed == LAST_PHASE:
        text = (
            f"🎓 {member.display_name} passed the final gate and has completed the roadmap: "
            "data scientist to ML engineer. Congratulations!"
        )
    elif placement:
        text = (
            f"🎉 {member.display_name} placed out of phase 1 and starts in phase "
            f"{phase.number}: {phase.title}."
        )
    else:
        text = (
            f"🎉 {member.display_name} passed the phase-{passed} gate and moves on to phase "
            f"{phase.number}: {phase.title}."
        )
    post = PlannedDelivery(
        DeliveryKey(DeliveryKind.ANNOUNCEMENT, member.id, phase=passed),
        member.tenant_id,
        Reply.of(Section(text), ephemeral=False),
        channel_id=cohort.channel_id,
        member_id=member.id,
    )
    return bool(await enqueue(session, [post], now))
