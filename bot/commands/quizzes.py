"""``quiz``: the phase-gate quiz, one question at a time, and its history."""

from __future__ import annotations

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.content.quiz_schema import QuizBank
from bot.db.models import Cohort, Member, QuizAttempt
from bot.messages import Actions, Block, Header, Invocation, Reply, Section
from bot.services.advancement import advance_if_ready
from bot.services.gate_status import gate_status
from bot.services.points import sync_member_points
from bot.services.quizzes import (
    OPEN,
    PASSED,
    PLACEMENT,
    VOID,
    answer_at,
    attempt_by_id,
    attempts_of,
    drawn_questions,
    is_intact,
    misses,
    open_attempt,
    record_answer,
    shown,
    start_attempt,
)
from bot.services.snapshot import load_snapshot
from bot.views.quizzes import (
    RESUME_BUTTON,
    failed_blocks,
    history_line,
    intro_blocks,
    miss_blocks,
    passed_blocks,
    question_blocks,
    review_blocks,
    score_line,
    unavailable_blocks,
)

MOVED_ON = "This quiz has moved on: that button belongs to an earlier question, so nothing changed."


def _question_reply(attempt: QuizAttempt, bank: QuizBank, *lead: Block) -> Reply:
    return Reply.of(*lead, *question_blocks(attempt, shown(attempt, bank, attempt.position)))


async def start(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    lead: list[Block] = []
    advancement = await advance_if_ready(ctx.session, member, cohort, ctx.content, ctx.now)
    if advancement is not None:
        phase = ctx.roadmap.phase(advancement.new_phase)
        lead.append(
            Section(
                f"🎉 Your gate pass stands and your milestones are done: welcome to "
                f"phase {phase.number}, {phase.title}."
            )
        )
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    status = await gate_status(ctx.session, member, snapshot, ctx.now)
    kind = status.kind
    if status.state == "in progress" and status.attempt is not None:
        attempt = status.attempt
        bank = ctx.content.quiz_bank(attempt.bank_key)
        if is_intact(attempt, bank):
            return _question_reply(attempt, bank, *lead, *intro_blocks(attempt, resumed=True))
        attempt.status = VOID
        attempt.updated_at = ctx.now
        kind = PLACEMENT if attempt.kind == PLACEMENT else kind
        lead.append(Section("The questions changed since you started, so here is a fresh attempt."))
    elif status.state != "open":
        return Reply.of(
            *lead, *unavailable_blocks(status, snapshot.missing_required, member.timezone)
        )
    bank = ctx.content.quiz_bank(cohort.quiz_bank)
    attempt = await start_attempt(ctx.session, member, cohort, bank, kind, ctx.now)
    return _question_reply(attempt, bank, *lead, *intro_blocks(attempt, resumed=False))


async def answer(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    attempt_id = ctx.args.opt_integer("a")
    position = ctx.args.opt_integer("q")
    number = ctx.args.integer("n")
    if attempt_id is None:
        attempt = await open_attempt(ctx.session, member.id, lock=True)
        if attempt is None:
            raise UsageError("You have no quiz in progress. Start one with `/pivot quiz`.")
        position = attempt.position
    else:
        attempt = await attempt_by_id(ctx.session, member.id, attempt_id, lock=True)
    if attempt is None or position is None:
        return await _moved_on(ctx, member)
    bank = ctx.content.quiz_bank(attempt.bank_key)
    if attempt.status == OPEN and not is_intact(attempt, bank):
        raise UsageError(
            "The questions changed since this quiz started. `/pivot quiz` starts afresh."
        )
    if attempt.status != OPEN or position != attempt.position:
        return await _stale_press(ctx, member, attempt, bank, position, number)
    options = len(drawn_questions(attempt)[position].order)
    if number > options:
        raise UsageError(
            f"Question {position + 1} has {options} answers: give a number from 1 to {options}, "
            "e.g. `/pivot quiz answer 2`."
        )
    right = await record_answer(
        ctx.session, attempt, bank, number, cohort.quiz_cooldown_days, ctx.now
    )
    feedback = Section("✓ Right." if right else "✗ Not quite. Why comes at the end.")
    if attempt.status == OPEN:
        return _question_reply(attempt, bank, feedback)
    return Reply.of(feedback, *await _result(ctx, member, cohort, attempt, bank))


async def _result(
    ctx: Context, member: Member, cohort: Cohort, attempt: QuizAttempt, bank: QuizBank
) -> tuple[Block, ...]:
    found = await misses(ctx.session, attempt, bank)
    if attempt.status != PASSED:
        offer = attempt.kind == PLACEMENT and member.track != "standard"
        return (*failed_blocks(attempt, member.timezone, offer), *review_blocks(found))
    added = await sync_member_points(ctx.session, member, cohort, ctx.content, ctx.now)
    advancement = await advance_if_ready(ctx.session, member, cohort, ctx.content, ctx.now)
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    gate_points = sum(a.points for a in added if a.kind == "gate")
    return (
        *passed_blocks(attempt, ctx.roadmap, advancement, snapshot.missing_required, gate_points),
        *miss_blocks(found),
    )


async def _stale_press(
    ctx: Context, member: Member, attempt: QuizAttempt, bank: QuizBank, position: int, number: int
) -> Reply:
    """A press on a question already answered: the same answer again is acknowledged, anything
    else is from a quiz that has moved on. Neither changes anything."""
    earlier = await answer_at(ctx.session, attempt.id, position) if position >= 0 else None
    drawn = drawn_questions(attempt)
    repeat = (
        earlier is not None
        and position < len(drawn)
        and number <= len(drawn[position].order)
        and drawn[position].bank_option(number) == earlier.option
        and position == attempt.position - 1
    )
    if not repeat:
        return await _moved_on(ctx, member)
    note = Section(f"You already answered question {position + 1} that way; it counted once.")
    if attempt.status == OPEN:
        return _question_reply(attempt, bank, note)
    return Reply.of(
        note, Section(f"Your result: {score_line(attempt)}. See `/pivot quiz history`.")
    )


async def _moved_on(ctx: Context, member: Member) -> Reply:
    current = await open_attempt(ctx.session, member.id)
    if current is None:
        return Reply.of(Section(MOVED_ON))
    return Reply.of(Section(MOVED_ON), Actions((RESUME_BUTTON,)))


async def history(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    attempts = await attempts_of(ctx.session, member.id)
    if not attempts:
        return Reply.of(
            Section("No quiz attempts yet. `/pivot quiz` tells you when your gate opens.")
        )
    return Reply.of(
        Header("Your quiz attempts"),
        Section("", tuple(history_line(a, member.timezone, ctx.now) for a in attempts)),
    )


SPECS = (
    CommandSpec(
        name="quiz start",
        summary="Take your phase-gate quiz, or pick it up where you left off",
        example="/pivot quiz",
        handler=start,
        aliases=("quiz",),
        details=(
            "A gate opens in the last two weeks of your phase, or as soon as every required "
            "milestone is done. Pass it with your milestones done to move to the next phase."
        ),
    ),
    CommandSpec(
        name="quiz answer",
        summary="Answer the current quiz question by its number",
        example="/pivot quiz answer 2",
        handler=answer,
        args=(
            Arg(
                "n",
                ArgKind.INT,
                "the number of your answer",
                required=True,
                minimum=1,
                maximum=5,
                max_length=2,
                shown="<n>",
            ),
            Arg("a", ArgKind.INT, "attempt", hidden=True, minimum=1, max_length=12),
            Arg("q", ArgKind.INT, "question", hidden=True, minimum=0, maximum=99, max_length=2),
        ),
    ),
    CommandSpec(
        name="quiz history",
        summary="Your quiz attempts and scores",
        example="/pivot quiz history",
        handler=history,
        dedupe=False,
        read_only=True,
    ),
)
