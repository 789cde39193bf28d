"""``export`` and ``forget``: your data is yours to take and to delete."""

from __future__ import annotations

import json

from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.messages import Actions, Attachment, Button, Invocation, Reply, Section
from bot.services.audit import record
from bot.services.personal_data import export_member, forget_user


async def export(inv: Invocation, ctx: Context) -> Reply:
    member, cohort = ctx.joined()
    data = await export_member(ctx.session, member, cohort)
    record(ctx.session, ctx.tenant.id, ctx.now, "data export", inv.user.user_id)
    content = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    counts = ", ".join(f"{k}: {len(v)}" for k, v in data.items() if isinstance(v, list))
    return Reply.of(
        Section(f"Here is everything pivotbot stores about you ({counts})."),
        Attachment(f"pivotbot-export-{member.user_id}.json", content),
    )


async def forget(inv: Invocation, ctx: Context) -> Reply:
    if ctx.args.text("confirm") != "confirm":
        return Reply.of(
            Section(
                "This deletes everything pivotbot stores about you in this workspace: "
                "membership, check-ins, milestones, pauses, quiz attempts, points and messages. "
                "It cannot be undone. "
                "`/pivot export` first if you want a copy.",
                ("To go ahead: `/pivot forget confirm`",),
            ),
            Actions((Button("Delete everything", "forget", (("confirm", "confirm"),), "danger"),)),
        )
    await forget_user(ctx.session, ctx.tenant.id, inv.user.user_id, ctx.now)
    ctx.member = None
    return Reply.of(
        Section(
            "Done: everything pivotbot stored about you here is deleted. "
            "`/pivot join` starts afresh."
        )
    )


SPECS = (
    CommandSpec(
        name="export",
        summary="All of your data, as a JSON file",
        example="/pivot export",
        handler=export,
    ),
    CommandSpec(
        name="forget",
        summary="Delete everything pivotbot stores about you (asks first)",
        example="/pivot forget confirm",
        handler=forget,
        needs_member=False,
        dedupe=False,  # a stored reply would keep the user id we were asked to delete
        args=(
            Arg("confirm", ArgKind.CHOICE, "type confirm to delete for good", choices=("confirm",)),
        ),
    ),
)
