"""``milestones`` and ``roadmap``: the plan itself, one phase, one milestone or all four phases.

Every date comes from the member's own plan, so a fast-track member reads fast-track dates.
"""

from __future__ import annotations

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.commands.web_pages import roadmap_link
from bot.messages import Actions, Invocation, Reply
from bot.services.snapshot import Snapshot, load_snapshot
from bot.views.roadmap import milestone_detail_reply, roadmap_reply
from bot.views.status import milestones_reply

KEY = "key"


async def milestones(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    key = ctx.args.opt_text(KEY)
    if key is None:
        return milestones_reply(snapshot)
    state = next((m for m in snapshot.milestones if m.milestone.key == key.lower()), None)
    if state is None:
        raise UsageError(_unknown(key, snapshot))
    return milestone_detail_reply(state, snapshot)


def _unknown(key: str, snapshot: Snapshot) -> str:
    keys = ", ".join(m.milestone.key for m in snapshot.phase_milestones)
    example = snapshot.phase_milestones[0].milestone.key
    return (
        f"There's no milestone `{key[:40]}`. Phase {snapshot.phase.number} has: {keys}; "
        f"`/pivot roadmap` shows every phase. Example: `/pivot milestones {example}`."
    )


async def roadmap(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    reply = roadmap_reply(await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now))
    if cohort.archived_at is not None:
        return reply  # an archived cohort's pages are closed, so no link that would not open
    link = await roadmap_link(ctx, member, cohort)
    blocks = reply.blocks
    if blocks and isinstance(blocks[-1], Actions):  # the buttons stay last
        return Reply.of(*blocks[:-1], link, blocks[-1])
    return Reply.of(*blocks, link)


SPECS = (
    CommandSpec(
        name="milestones",
        asks_who=False,
        summary="Your phase's milestones, or one milestone in full: what it asks, due date, links",
        example="/pivot milestones write-tests",
        handler=milestones,
        dedupe=False,
        read_only=True,
        args=(
            Arg(
                KEY,
                ArgKind.WORD,
                "a milestone's key, to see it in full",
                max_length=40,
                shown="<key>",
            ),
        ),
    ),
    CommandSpec(
        name="roadmap",
        asks_who=False,
        summary="All four phases, your progress through them and each phase's checkpoint",
        example="/pivot roadmap",
        handler=roadmap,
        dedupe=False,
        # It writes a link to the member's page (or reuses one), which no other view shows.
        changes_views=False,
    ),
)
