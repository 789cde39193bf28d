"""``replan`` and ``extend``: more time for a plan that the calendar has overtaken.

Both keep everything done so far and the plan's start, so "month N" keeps counting the
member's real time; only the phases ahead move (see ``bot.domain.replanning``).
"""

from __future__ import annotations

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.models import Cohort, Member
from bot.domain.plan import PhaseSpan
from bot.domain.replanning import MAX_EXTENSION_MONTHS
from bot.messages import Actions, Invocation, Reply, Section
from bot.services.plan_changes import (
    extended_spans,
    fewest_extra_months,
    may_replan,
    replanned_spans,
    stored,
)
from bot.services.points import sync_member_points
from bot.services.snapshot import Snapshot, load_snapshot
from bot.views.formatting import day, plural
from bot.views.status import STATUS_BUTTON, due_text, plan_line

GRADUATED = "You have graduated: your plan is complete, and there is nothing left to plan."


async def _current(ctx: Context) -> tuple[Member, Cohort, Snapshot]:
    member, cohort = ctx.joined()
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    if snapshot.graduated_on is not None:
        raise UsageError(GRADUATED)
    return member, cohort, snapshot


async def replan(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort, snapshot = await _current(ctx)
    if not may_replan(snapshot):
        raise UsageError(
            f"You're {snapshot.pace.describe()} with your plan, so there's nothing to re-plan. "
            "Want more time anyway? `/pivot extend 2` adds two months."
        )
    phase = snapshot.phase.number
    headline = (
        f"A fresh plan from today: phase {phase} gets its full "
        f"{plural(snapshot.track.phase_months[phase - 1], 'month')} again."
    )
    return await _apply(ctx, member, cohort, replanned_spans(snapshot), headline)


async def extend(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort, snapshot = await _current(ctx)
    months = ctx.args.integer("months")
    least = fewest_extra_months(snapshot)
    if months < least:
        instead = (
            f"Example: `/pivot extend {least}`."
            if least <= MAX_EXTENSION_MONTHS
            else "That is more than one extension gives: `/pivot replan` starts a fresh plan "
            "from today instead."
        )
        raise UsageError(
            f"{plural(months, 'month')} is less than the work still ahead needs: "
            f"at least {least}. {instead}"
        )
    total = snapshot.plan_months + months
    headline = f"Your plan is {plural(months, 'month')} longer: {total} months in all."
    return await _apply(ctx, member, cohort, extended_spans(snapshot, months), headline)


async def _apply(
    ctx: Context, member: Member, cohort: Cohort, spans: tuple[PhaseSpan, ...], headline: str
) -> Reply:
    member.phase_plan = stored(spans)
    await sync_member_points(ctx.session, member, cohort, ctx.content, ctx.now)
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    window = snapshot.window
    lines = [
        f"Phase {window.number} now runs until {day(window.ends_on)}, and the whole plan "
        f"until {day(snapshot.windows[-1].ends_on)}.",
        "Everything you have done so far stays done.",
    ]
    upcoming = snapshot.next_milestone
    if upcoming is not None:
        lines.append(
            f"Next milestone: {upcoming.milestone.title} ({due_text(upcoming, snapshot.today)})."
        )
    lines.append(plan_line(snapshot))
    return Reply.of(Section(headline, tuple(lines)), Actions((STATUS_BUTTON,)))


SPECS = (
    CommandSpec(
        name="replan",
        summary="A fresh plan from today, when the plan's dates have run ahead of you",
        example="/pivot replan",
        handler=replan,
        details=(
            "Your current phase starts again this month with its full length, and the phases "
            "after it follow. Milestones, check-ins and points stay as they are."
        ),
    ),
    CommandSpec(
        name="extend",
        summary="Give your plan more months, never fewer than the work still ahead needs",
        example="/pivot extend 6",
        handler=extend,
        details=(
            "The months go to your current phase. `/pivot status` names the fewest that "
            "leave room for what is still ahead once your plan's end has passed."
        ),
        args=(
            Arg(
                "months",
                ArgKind.INT,
                f"how many months to add, 1 to {MAX_EXTENSION_MONTHS}",
                required=True,
                minimum=1,
                maximum=MAX_EXTENSION_MONTHS,
                max_length=2,
            ),
        ),
    ),
)
