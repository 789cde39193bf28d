"""Quiz attempts in the database: which one is open, starting one, and counting an answer.

Answers are counted under a row lock on the attempt (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite serialises writers with ``BEGIN IMMEDIATE``), and every button carries
the position it was shown at, so two presses at once, a double press and a press on an old
question can never count twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.quiz_schema import PhaseQuiz, Question, QuizBank
from bot.db.models import Cohort, Member, QuizAnswer, QuizAttempt
from bot.domain.quiz import Asked, DrawnQuestion, attempt_seed, draw, passes

OPEN, PASSED, FAILED, VOID = "open", "passed", "failed", "void"
AttemptKind = Literal["gate", "placement"]
GATE: AttemptKind = "gate"
PLACEMENT: AttemptKind = "placement"


@dataclass(frozen=True)
class Shown:
    """A question as the member sees it: the bank's question and the shown option order."""

    position: int
    question: Question
    drawn: DrawnQuestion

    def option_text(self, shown_number: int) -> str:
        return self.question.options[self.drawn.bank_option(shown_number)].text


@dataclass(frozen=True)
class Miss:
    question: Question
    chosen: str


def drawn_questions(attempt: QuizAttempt) -> tuple[DrawnQuestion, ...]:
    return tuple(DrawnQuestion(q["id"], tuple(q["order"])) for q in attempt.questions)


def phase_quiz(attempt: QuizAttempt, bank: QuizBank) -> PhaseQuiz:
    return bank.phase(attempt.phase)


def is_intact(attempt: QuizAttempt, bank: QuizBank) -> bool:
    """False when the bank was edited under an attempt: a question gone or its options changed."""
    if bank.key != attempt.bank_key:
        return False
    quiz = phase_quiz(attempt, bank)
    for drawn in drawn_questions(attempt):
        question = quiz.question(drawn.question_id)
        if question is None or sorted(drawn.order) != list(range(len(question.options))):
            return False
    return True


def shown(attempt: QuizAttempt, bank: QuizBank, position: int) -> Shown:
    drawn = drawn_questions(attempt)[position]
    question = phase_quiz(attempt, bank).question(drawn.question_id)
    assert question is not None, "check is_intact before showing an attempt"
    return Shown(position, question, drawn)


async def open_attempt(
    session: AsyncSession, member_id: int, *, lock: bool = False
) -> QuizAttempt | None:
    query = select(QuizAttempt).where(
        QuizAttempt.member_id == member_id, QuizAttempt.status == OPEN
    )
    if lock:
        query = query.with_for_update()
    return await session.scalar(query.order_by(QuizAttempt.id.desc()))


async def attempt_by_id(
    session: AsyncSession, member_id: int, attempt_id: int, *, lock: bool = False
) -> QuizAttempt | None:
    """The member's own attempt; another member's id finds nothing, as if it never existed."""
    query = select(QuizAttempt).where(
        QuizAttempt.id == attempt_id, QuizAttempt.member_id == member_id
    )
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def attempts_of(
    session: AsyncSession, member_id: int, phase: int | None = None
) -> list[QuizAttempt]:
    """Newest first."""
    query = select(QuizAttempt).where(QuizAttempt.member_id == member_id)
    if phase is not None:
        query = query.where(QuizAttempt.phase == phase)
    return list(await session.scalars(query.order_by(QuizAttempt.id.desc())))


async def start_attempt(
    session: AsyncSession,
    member: Member,
    cohort: Cohort,
    bank: QuizBank,
    kind: AttemptKind,
    now: datetime,
) -> QuizAttempt:
    """Draw a new attempt for the member's phase (phase 1 for a placement quiz).

    The attempt number counts every earlier attempt of the phase, so the seed, and with it
    (and the answers given so far) the questions, follow from the history alone.
    """
    phase = 1 if kind == PLACEMENT else member.phase
    number = 1 + int(
        await session.scalar(
            select(func.coalesce(func.max(QuizAttempt.number), 0)).where(
                QuizAttempt.member_id == member.id, QuizAttempt.phase == phase
            )
        )
        or 0
    )
    quiz = bank.phase(phase)
    seed = attempt_seed(bank.key, member.id, phase, number)
    questions = draw(
        [(q.id, len(q.options)) for q in quiz.questions],
        cohort.quiz_questions,
        seed,
        await answered_before(session, member.id, phase, bank.key, number - 1),
    )
    attempt = QuizAttempt(
        member_id=member.id,
        phase=phase,
        number=number,
        kind=kind,
        bank_key=bank.key,
        seed=seed,
        questions=[{"id": q.question_id, "order": list(q.order)} for q in questions],
        size=len(questions),
        pass_percent=cohort.quiz_pass_percent,
        position=0,
        correct=0,
        status=OPEN,
        started_at=now,
        updated_at=now,
    )
    session.add(attempt)
    await session.flush()
    return attempt


async def answered_before(
    session: AsyncSession, member_id: int, phase: int, bank_key: str, last_number: int
) -> list[Asked]:
    """Every question the member answered in earlier attempts of ``phase`` from this bank;
    ``last_number`` is the attempt before the one being drawn."""
    rows = await session.execute(
        select(QuizAnswer.question_id, QuizAnswer.correct, QuizAttempt.number)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(
            QuizAttempt.member_id == member_id,
            QuizAttempt.phase == phase,
            QuizAttempt.bank_key == bank_key,
        )
    )
    return [Asked(question, right, number == last_number) for question, right, number in rows]


async def record_answer(
    session: AsyncSession,
    attempt: QuizAttempt,
    bank: QuizBank,
    shown_number: int,
    cooldown_days: int,
    now: datetime,
) -> bool:
    """Count one answer to the current question of a locked, open attempt; return if right.

    The last answer finishes the attempt: passed, or failed with the retake time set.
    """
    current = shown(attempt, bank, attempt.position)
    option = current.drawn.bank_option(shown_number)
    right = option == current.question.correct_index
    session.add(
        QuizAnswer(
            attempt_id=attempt.id,
            position=attempt.position,
            question_id=current.question.id,
            option=option,
            correct=right,
            answered_at=now,
        )
    )
    attempt.position += 1
    attempt.correct += int(right)
    attempt.updated_at = now
    if attempt.position >= attempt.size:
        attempt.finished_at = now
        if passes(attempt.correct, attempt.size, attempt.pass_percent):
            attempt.status = PASSED
        else:
            attempt.status = FAILED
            attempt.retry_at = now + timedelta(days=cooldown_days)
    await session.flush()
    return right


async def answer_at(session: AsyncSession, attempt_id: int, position: int) -> QuizAnswer | None:
    return await session.get(QuizAnswer, (attempt_id, position))


async def misses(session: AsyncSession, attempt: QuizAttempt, bank: QuizBank) -> list[Miss]:
    """The questions answered wrongly, in the order asked, with what the member chose."""
    quiz = phase_quiz(attempt, bank)
    rows = await session.scalars(
        select(QuizAnswer)
        .where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.correct.is_(False))
        .order_by(QuizAnswer.position)
    )
    found = []
    for row in rows:
        question = quiz.question(row.question_id)
        if question is not None and row.option < len(question.options):
            found.append(Miss(question, question.options[row.option].text))
    return found
