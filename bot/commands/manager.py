"""``manager``: how the month-3 conversation with your manager went."""

from __future__ import annotations

from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.models import MilestoneProgress
from bot.messages import Invocation, Reply, Section
from bot.services.snapshot import MANAGER_MILESTONE

_ANSWERS = {
    "supported": (
        "Great news. Turn the support into something concrete: a date for the stretch project "
        "or the rotation, and someone in production engineering to pair with."
    ),
    "unsupported": (
        "Thanks for asking anyway; that took nerve. The answer tells you a lot about your next "
        "twelve months: plan for the move to happen outside your current team, and keep "
        "building the portfolio that will carry it."
    ),
    "later": "No problem: I'll ask again next month.",
}


async def manager(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    outcome = ctx.args.text("outcome")
    member.manager_outcome = outcome
    if outcome != "later":
        done = await ctx.session.get(MilestoneProgress, (member.id, MANAGER_MILESTONE))
        if done is None:
            ctx.session.add(
                MilestoneProgress(
                    member_id=member.id, milestone_key=MANAGER_MILESTONE, done_at=ctx.now
                )
            )
    return Reply.of(Section(_ANSWERS[outcome]))


SPECS = (
    CommandSpec(
        name="manager",
        summary="Record how the conversation with your manager went",
        example="/pivot manager supported",
        handler=manager,
        args=(
            Arg(
                "outcome",
                ArgKind.CHOICE,
                "supported, unsupported, or later to be asked again next month",
                required=True,
                choices=("supported", "unsupported", "later"),
            ),
        ),
    ),
)
