"""Where a member stands with their current gate: the one answer ``/pivot quiz``, ``status``
and the scheduler's gate invitation all rely on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, QuizAttempt
from bot.domain.gates import LAST_PHASE, Gate
from bot.services.quizzes import (
    FAILED,
    GATE,
    OPEN,
    PASSED,
    PLACEMENT,
    VOID,
    AttemptKind,
    attempts_of,
)
from bot.services.snapshot import Snapshot

GateState = Literal["in progress", "graduated", "passed", "cooldown", "closed", "open"]


@dataclass(frozen=True)
class GateStatus:
    """``state`` in order of precedence:

    - ``in progress``: an attempt is open (``attempt``); it resumes where it stopped.
    - ``graduated``: the phase-4 gate is passed with every milestone; nothing is left.
    - ``passed``: this phase's gate is passed, but required milestones are missing.
    - ``cooldown``: the last attempt failed; a retake is allowed from ``retry_at``.
    - ``open``: a new attempt may start (``kind`` says gate or placement).
    - ``closed``: not yet; ``gate`` says when the calendar opens it and what is missing.
    """

    state: GateState
    kind: AttemptKind
    gate: Gate
    attempt: QuizAttempt | None = None
    retry_at: datetime | None = None


async def gate_status(
    session: AsyncSession, member: Member, snapshot: Snapshot, now: datetime
) -> GateStatus:
    gate = snapshot.gate
    history = await attempts_of(session, member.id)
    current = next((a for a in history if a.status == OPEN), None)
    if current is not None:
        return GateStatus("in progress", _kind(current), gate, current)
    if any(a.phase == LAST_PHASE and a.advanced_at is not None for a in history):
        return GateStatus("graduated", GATE, gate)
    this_phase = [a for a in history if a.phase == member.phase and a.status != VOID]
    waiting = next((a for a in this_phase if a.status == PASSED and a.advanced_at is None), None)
    if waiting is not None:
        return GateStatus("passed", _kind(waiting), gate, waiting)
    last = this_phase[0] if this_phase else None
    if last is not None and last.status == FAILED and last.retry_at and last.retry_at > now:
        return GateStatus("cooldown", _kind(last), gate, last, last.retry_at)
    if snapshot.track.placement_quiz and member.phase == 1 and not this_phase:
        return GateStatus("open", PLACEMENT, gate)
    return GateStatus("open" if gate.is_open else "closed", GATE, gate)


def _kind(attempt: QuizAttempt) -> AttemptKind:
    return PLACEMENT if attempt.kind == PLACEMENT else GATE
