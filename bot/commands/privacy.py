"""``export`` and ``forget``: your data is yours to take and to delete."""

from __future__ import annotations

import json

from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.messages import Actions, Attachment, Button, Invocation, Reply, Section
from bot.services.audit import record
from bot.services.forgetting import AdminRoles, admin_roles, forget_user
from bot.services.personal_data import export_member


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
        roles = await admin_roles(ctx.session, ctx.tenant.id, inv.user.user_id)
        return Reply.of(
            Section(
                "This deletes everything pivotbot stores about you in this workspace: "
                f"{_what_goes(roles)}. It cannot be undone. "
                "`/pivot export` first if you want a copy.",
                (*_left_alone(roles), "To go ahead: `/pivot forget confirm`"),
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


def _what_goes(roles: AdminRoles) -> str:
    kept = "membership, check-ins, milestones, pauses, quiz attempts, points"
    if not roles.cohorts:
        return f"{kept} and messages"
    role = "role in cohort" if len(roles.cohorts) == 1 else "roles in cohorts"
    return f"{kept}, messages and your admin {role} {', '.join(roles.cohorts)}"


def _left_alone(roles: AdminRoles) -> tuple[str, ...]:
    """A warning, never a refusal: deleting one's data is a promise kept."""
    return tuple(
        f"Without you, cohort {name} would be left to the platform admins alone: add another "
        f"admin first with `/pivot cohort admin add @someone {name}`."
        for name in roles.left_alone
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
