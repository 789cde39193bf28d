"""``status``: where you stand against your own plan."""

from __future__ import annotations

from bot.commands.spec import CommandSpec, Context
from bot.messages import Invocation, Reply
from bot.services.gate_status import gate_status
from bot.services.member_rows import load_member_rows
from bot.services.snapshot import compute_snapshot
from bot.views.status import status_reply


async def status(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    rows = await load_member_rows(ctx.session, member.id, awards=False)  # one statement
    snapshot = compute_snapshot(member, ctx.roadmap, ctx.now, rows.history())
    gate = await gate_status(ctx.session, member, snapshot, ctx.now)
    return status_reply(snapshot, gate, member.timezone)


SPECS = (
    CommandSpec(
        name="status",
        asks_who=False,
        summary="Your phase, month, pace against your own plan, streak and next step",
        example="/pivot status",
        handler=status,
        dedupe=False,
        read_only=True,
    ),
)
