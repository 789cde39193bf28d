"""``status`` and ``milestones``: where you stand against your own plan."""

from __future__ import annotations

from bot.commands.spec import CommandSpec, Context
from bot.messages import Invocation, Reply
from bot.services.gate_status import gate_status
from bot.services.snapshot import load_snapshot
from bot.views.status import milestones_reply, status_reply


async def status(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    gate = await gate_status(ctx.session, member, snapshot, ctx.now)
    return status_reply(snapshot, gate, member.timezone)


async def milestones(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    return milestones_reply(await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now))


SPECS = (
    CommandSpec(
        name="status",
        summary="Your phase, month, pace against your own plan, streak and next step",
        example="/pivot status",
        handler=status,
        dedupe=False,
    ),
    CommandSpec(
        name="milestones",
        summary="The milestones of your current phase and their state",
        example="/pivot milestones",
        handler=milestones,
        dedupe=False,
    ),
)
