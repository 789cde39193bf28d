"""``leaderboard``: the four boards, the rules behind them, and rebuilding the points."""

from __future__ import annotations

from typing import cast

from bot.commands.cohorts import require_cohort_admin, target_cohort
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.base import column_length
from bot.db.models import Cohort
from bot.messages import Invocation, Reply, Section
from bot.services.audit import record
from bot.services.leaderboards import BOARDS, Board, progress_of, standings
from bot.services.points import recompute_points
from bot.views.formatting import plural
from bot.views.leaderboards import PLACE, board_blocks, board_buttons, rules_blocks, you_line


async def show(inv: Invocation, ctx: Context) -> Reply:
    """The board, after the member's own line: their week, their plan, and their place only
    in the top half or when asked (``place``)."""
    del inv
    member, cohort = ctx.joined()
    board = cast(Board, ctx.args.text("board"))
    place_asked = ctx.args.has(PLACE)
    result = await standings(ctx.session, cohort, board, ctx.now, viewer=member)
    progress = await progress_of(ctx.session, member, cohort, ctx.now)
    return Reply.of(
        Section(you_line(result, progress, place_asked)),
        *board_blocks(result, ctx.content.point_rules, viewer_id=member.id),
        board_buttons(board, result, place_asked),
    )


async def rules(inv: Invocation, ctx: Context) -> Reply:
    del inv
    return Reply.of(*rules_blocks(ctx.content.point_rules))


async def recompute(inv: Invocation, ctx: Context) -> Reply:
    """After ``points.yaml`` or the roadmap changes, re-score a cohort from its history."""
    cohort = await target_cohort(ctx, inv, ctx.args.opt_text("cohort"))
    await require_cohort_admin(ctx, inv, cohort)
    result = await recompute_points(ctx.session, cohort, ctx.content, ctx.now)
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "leaderboard recompute",
        inv.user.user_id,
        f"{cohort.name}: {result.awards_before} -> {result.awards_after} awards",
    )
    return Reply.of(
        Section(
            f"Rebuilt the points of cohort {cohort.name} from its history: "
            f"{plural(result.members, 'member')}, {plural(result.awards_after, 'award')} "
            f"({result.awards_before} before), {plural(result.points_after, 'point')} in all."
        )
    )


SPECS = (
    CommandSpec(
        name="leaderboard show",
        summary="A leaderboard: this week, your phase, all time, or pace against your own plan",
        example="/pivot leaderboard pace",
        handler=show,
        aliases=("leaderboard",),
        dedupe=False,
        read_only=True,
        args=(
            Arg("board", ArgKind.CHOICE, "which board", choices=BOARDS, default="week"),
            Arg(PLACE, ArgKind.CHOICE, "show your place wherever it is", choices=(PLACE,)),
        ),
    ),
    CommandSpec(
        name="leaderboard rules",
        summary="How points are earned and how ties break",
        example="/pivot leaderboard rules",
        handler=rules,
        needs_member=False,
        dedupe=False,
        read_only=True,
    ),
    CommandSpec(
        name="leaderboard recompute",
        summary="Rebuild a cohort's points from its history, after the point rules change",
        example="/pivot leaderboard recompute spring-2027",
        handler=recompute,
        admin_only=True,
        needs_member=False,
        args=(
            Arg(
                "cohort",
                ArgKind.WORD,
                "the cohort, when there are several",
                max_length=column_length(Cohort.name),
            ),
        ),
    ),
)
