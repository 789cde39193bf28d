"""Gate quizzes as replies: one question at a time, the result, and why a quiz can't start."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from bot.content.schema import Phase, Roadmap
from bot.db.models import QuizAttempt
from bot.domain.quiz import needed_to_pass, score_percent
from bot.messages import Actions, Block, Button, Header, Section
from bot.services.advancement import Advancement
from bot.services.gate_status import GateStatus
from bot.services.quizzes import FAILED, OPEN, PASSED, PLACEMENT, Miss, Shown
from bot.services.snapshot import MilestoneState
from bot.views.formatting import day, local_moment, plural

ANSWER_COMMAND = "quiz answer"
RESUME_BUTTON = Button("Resume the quiz", "quiz start", style="primary")
PLACEMENT_BUTTON = Button("Start the placement quiz", "quiz start", style="primary")
STANDARD_TRACK_BUTTON = Button(
    "Switch to the standard track", "settings track", (("track", "standard"),)
)


def quiz_title(attempt: QuizAttempt) -> str:
    if attempt.kind == PLACEMENT:
        return "Fast-track placement quiz (the phase-1 gate)"
    return f"Phase {attempt.phase} gate"


def quiz_name(attempt: QuizAttempt) -> str:
    """The quiz as named mid-sentence: "your phase-1 gate", "your placement quiz"."""
    return "placement quiz" if attempt.kind == PLACEMENT else f"phase-{attempt.phase} gate"


def finished_day(attempt: QuizAttempt) -> str:
    return day(attempt.finished_at or attempt.updated_at)


def score_line(attempt: QuizAttempt) -> str:
    return f"{attempt.correct} of {attempt.size} ({score_percent(attempt.correct, attempt.size)}%)"


def pass_mark_line(attempt: QuizAttempt) -> str:
    needed = needed_to_pass(attempt.size, attempt.pass_percent)
    return f"the pass mark is {attempt.pass_percent}% ({needed} of {attempt.size})"


def question_blocks(attempt: QuizAttempt, question: Shown) -> tuple[Block, ...]:
    """One question; each option is its own row of one button, so text renders one per line.

    A button carries the attempt, the position it was shown at and the shown option number:
    that is how a press on an old question is told apart from a fresh one.
    """
    options = tuple(
        Actions(
            (
                Button(
                    option_label,
                    ANSWER_COMMAND,
                    (("a", attempt.id), ("q", question.position), ("n", number)),
                ),
            )
        )
        for number, option_label in enumerate(
            (question.option_text(n) for n in range(1, len(question.drawn.order) + 1)), start=1
        )
    )
    return (
        Header(f"{quiz_title(attempt)} · question {question.position + 1} of {attempt.size}"),
        Section(question.question.question),
        *options,
        Section(
            f"Press an answer, or type `/pivot quiz answer <1-{len(options)}>`. "
            "You can stop at any time: `/pivot quiz` picks up where you left off."
        ),
    )


def intro_blocks(attempt: QuizAttempt, resumed: bool) -> tuple[Block, ...]:
    if resumed:
        text = (
            f"Picking up your {quiz_name(attempt)} where you left off: "
            f"{attempt.position} of {attempt.size} answered."
        )
    else:
        text = (
            f"{quiz_title(attempt)}: {plural(attempt.size, 'question')}, one at a time; "
            f"{pass_mark_line(attempt)}. No clock is running."
        )
    return (Section(text),)


def miss_blocks(found: Sequence[Miss]) -> tuple[Block, ...]:
    if not found:
        return ()
    blocks: list[Block] = [Section(f"What you missed ({len(found)}):")]
    for miss in found:
        right = miss.question.options[miss.question.correct_index].text
        blocks.append(
            Section(
                f"• {miss.question.question}",
                (f"You chose: {miss.chosen}", f"Answer: {right}", miss.question.explanation),
            )
        )
    return tuple(blocks)


def review_blocks(found: Sequence[Miss]) -> tuple[Block, ...]:
    """After a failed attempt: the topics to review and why each missed answer is what it is.

    No answer key and no "you chose" line: the explanations teach, and the retake keeps these
    questions back until the unseen ones run out (``bot.domain.quiz.draw``).
    """
    if not found:
        return ()
    topics = Counter(miss.question.topic for miss in found)
    listed = ", ".join(
        f"{topic.replace('-', ' ')} ({count})" for topic, count in topics.most_common()
    )
    return (
        Section(f"Topics to review: {listed}."),
        *(Section(f"• {m.question.question}", (m.question.explanation,)) for m in found),
        Section("Questions you missed come back only once the ones you haven't seen run out."),
    )


def missing_lines(missing: Sequence[MilestoneState]) -> tuple[str, ...]:
    return tuple(f"• {m.milestone.title} — `/pivot done {m.milestone.key} <link>`" for m in missing)


def passed_blocks(
    attempt: QuizAttempt,
    roadmap: Roadmap,
    advancement: Advancement | None,
    missing: Sequence[MilestoneState],
    gate_points: int,
) -> tuple[Block, ...]:
    blocks: list[Block] = [Header(f"{quiz_title(attempt)}: passed with {score_line(attempt)}")]
    if advancement is not None and advancement.graduated:
        blocks.append(
            Section(
                "🎓 That was the final gate: you have completed the roadmap, all the way to "
                "ML engineering. Congratulations!"
            )
        )
    elif advancement is not None:
        blocks.append(_welcome(roadmap.phase(advancement.new_phase), advancement.placement))
    else:
        nxt = roadmap.phase(attempt.phase + 1)
        blocks.append(
            Section(
                f"Your pass is recorded. To move on to phase {nxt.number} ({nxt.title}), "
                "finish these; you move on the moment the last one is done:",
                missing_lines(missing),
            )
        )
    if gate_points:
        blocks.append(Section(f"+{plural(gate_points, 'point')} for the gate."))
    return tuple(blocks)


def _welcome(phase: Phase, placement: bool) -> Section:
    opening = "You placed out of phase 1. " if placement else ""
    return Section(f"🎉 {opening}Welcome to phase {phase.number}: {phase.title}. {phase.goal}")


def failed_blocks(attempt: QuizAttempt, timezone: str, standard_offer: bool) -> tuple[Block, ...]:
    blocks: list[Block] = [
        Header(f"{quiz_title(attempt)}: not yet — {score_line(attempt)}"),
        Section(f"You need {pass_mark_line(attempt).removeprefix('the pass mark is ')}."),
    ]
    if attempt.retry_at is not None:
        blocks.append(
            Section(f"You can retake it from {local_moment(attempt.retry_at, timezone)}.")
        )
    if standard_offer:
        blocks.append(
            Section(
                "That's fine: the placement quiz only decides where you start. You begin "
                "phase 1 of the fast track, a two-month refresher. If you'd rather take "
                "phase 1 at full depth, switch to the standard track; your progress comes with you."
            )
        )
        blocks.append(Actions((STANDARD_TRACK_BUTTON,)))
    return tuple(blocks)


def unavailable_blocks(
    status: GateStatus, missing: Sequence[MilestoneState], timezone: str
) -> tuple[Block, ...]:
    """Why no attempt can start now, and what the member can do about it."""
    gate = status.gate
    attempt = status.attempt
    if status.state == "graduated":
        return (Section("You have passed the final gate: the roadmap is complete. 🎓"),)
    if status.state == "passed" and attempt is not None:
        return (
            Section(
                f"You passed the phase-{attempt.phase} gate on {finished_day(attempt)} "
                f"with {score_line(attempt)}. To move on, finish:",
                missing_lines(missing),
            ),
        )
    if status.state == "cooldown" and attempt is not None and status.retry_at is not None:
        return (
            Section(
                f"Your last attempt at the {quiz_name(attempt)} "
                f"({finished_day(attempt)}) scored {score_line(attempt)}. "
                f"You can retake it from {local_moment(status.retry_at, timezone)}."
            ),
        )
    return (
        Section(
            f"The phase-{gate.phase} gate isn't open yet. It opens on "
            f"{day(gate.calendar_opens_on)} (the last two weeks of your phase), or as soon as "
            "every required milestone is done. Still to do:",
            missing_lines(missing),
        ),
    )


def history_line(attempt: QuizAttempt, timezone: str, now: datetime) -> str:
    title = f"{quiz_title(attempt)} · attempt {attempt.number}"
    when = finished_day(attempt)
    if attempt.status == OPEN:
        return f"{title} · in progress, {attempt.position} of {attempt.size} answered"
    if attempt.status == PASSED:
        return f"{title} · {when} · {score_line(attempt)} · passed"
    if attempt.status == FAILED:
        retake = (
            f" · retake from {local_moment(attempt.retry_at, timezone)}"
            if attempt.retry_at and attempt.retry_at > now
            else ""
        )
        return f"{title} · {when} · {score_line(attempt)} · not yet{retake}"
    return f"{title} · {when} · set aside (the questions changed)"
