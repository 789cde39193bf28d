"""``cohort quiz``: an organiser sets how the gate quizzes of a cohort work."""

from __future__ import annotations

from bot.commands.cohorts import require_cohort_admin, target_cohort
from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.content.loader import ContentLibrary
from bot.db.base import column_length
from bot.db.models import Cohort
from bot.domain.quiz import needed_to_pass, retakes_without_repeats
from bot.messages import Invocation, Reply, Section
from bot.services.audit import record
from bot.views.formatting import plural

MIN_QUESTIONS, MAX_QUESTIONS = 3, 15


def describe(cohort: Cohort, content: ContentLibrary) -> str:
    """The settings, and how many retakes the bank covers before a question comes back."""
    needed = needed_to_pass(cohort.quiz_questions, cohort.quiz_pass_percent)
    bank = content.quiz_bank(cohort.quiz_bank)
    retakes = retakes_without_repeats(bank.smallest_phase, cohort.quiz_questions)
    covers = plural(retakes, "retake") if retakes else "no retake"
    return (
        f"{plural(cohort.quiz_questions, 'question')}, pass mark {cohort.quiz_pass_percent}% "
        f"({needed} of {cohort.quiz_questions}), retake after "
        f"{plural(cohort.quiz_cooldown_days, 'day')}, question bank `{cohort.quiz_bank}` "
        f"({bank.smallest_phase} questions in its smallest phase: {covers} without "
        "repeating a question)"
    )


async def quiz_settings(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.opt_text("cohort"))
    wanted = {
        "quiz_questions": ctx.args.opt_integer("questions"),
        "quiz_pass_percent": ctx.args.opt_integer("pass"),
        "quiz_cooldown_days": ctx.args.opt_integer("cooldown"),
        "quiz_bank": ctx.args.opt_text("bank"),
    }
    changes = {k: v for k, v in wanted.items() if v is not None and v != getattr(cohort, k)}
    if not changes:
        return Reply.of(
            Section(f"Gate quizzes in cohort {cohort.name}: {describe(cohort, ctx.content)}.")
        )
    await require_cohort_admin(ctx, inv, cohort)
    bank_key = str(changes.get("quiz_bank", cohort.quiz_bank))
    bank = ctx.content.quiz_banks.get(bank_key)
    if bank is None:
        known = ", ".join(sorted(ctx.content.quiz_banks))
        raise UsageError(f"There's no question bank `{bank_key[:40]}`. Banks: {known}.")
    questions = int(changes.get("quiz_questions", cohort.quiz_questions))
    if questions > bank.smallest_phase:
        raise UsageError(
            f"Bank `{bank.key}` has {plural(bank.smallest_phase, 'question')} in its smallest "
            "phase, so an attempt can ask at most that many, e.g. "
            "`/pivot cohort quiz questions 10`."
        )
    before = describe(cohort, ctx.content)
    for name, value in changes.items():
        setattr(cohort, name, value)
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "cohort quiz",
        inv.user.user_id,
        f"{cohort.name}: "
        + ", ".join(f"{k.removeprefix('quiz_')}={v}" for k, v in changes.items()),
    )
    return Reply.of(
        Section(
            f"Gate quizzes in cohort {cohort.name}: {describe(cohort, ctx.content)}.",
            (
                f"Before: {before}.",
                "Attempts already under way keep the settings they started with.",
            ),
        )
    )


SPECS = (
    CommandSpec(
        name="cohort quiz",
        summary="Show or set a cohort's gate quiz: questions, pass mark, retake wait, bank",
        example="/pivot cohort quiz spring-2027 questions 10 pass 75 cooldown 5",
        handler=quiz_settings,
        admin_only=True,
        needs_member=False,
        args=(
            Arg(
                "cohort",
                ArgKind.WORD,
                "the cohort, when there are several",
                max_length=column_length(Cohort.name),
            ),
            Arg(
                "questions",
                ArgKind.INT,
                f"questions per attempt, {MIN_QUESTIONS} to {MAX_QUESTIONS} (default 8)",
                keyword=True,
                minimum=MIN_QUESTIONS,
                maximum=MAX_QUESTIONS,
                max_length=2,
                shown="<N>",
            ),
            Arg(
                "pass",
                ArgKind.INT,
                "pass mark in percent, 50 to 100 (default 80)",
                keyword=True,
                minimum=50,
                maximum=100,
                max_length=3,
                shown="<percent>",
            ),
            Arg(
                "cooldown",
                ArgKind.INT,
                "days before a failed gate may be retaken, 0 to 60 (default 7)",
                keyword=True,
                minimum=0,
                maximum=60,
                max_length=2,
                shown="<days>",
            ),
            Arg(
                "bank",
                ArgKind.WORD,
                "the question bank: a folder under bot/content/quizzes/",
                keyword=True,
                max_length=column_length(Cohort.quiz_bank),
                shown="<key>",
            ),
        ),
    ),
)
