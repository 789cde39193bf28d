"""``cohort rename``, ``cohort archive`` and ``cohort delete``: a cohort's name, and its end.

Admins only, each change written to the audit log in the same transaction. Deleting asks
first, as ``forget`` does, and only a cohort nobody is in (or an archived one) can go.
"""

from __future__ import annotations

from bot.commands.cohorts import new_cohort_name, require_cohort_admin, target_cohort
from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.messages import Actions, Button, Invocation, Reply, Section
from bot.services.audit import record
from bot.services.cohort_lifecycle import (
    active_members,
    archive_cohort,
    delete_cohort,
    members_on_record,
)
from bot.views.formatting import day, plural


async def rename(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.text("old"))
    await require_cohort_admin(ctx, inv, cohort)
    old = cohort.name
    cohort.name = await new_cohort_name(ctx, "cohort rename", ctx.args.text("new"))
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "cohort rename",
        inv.user.user_id,
        f"{old} -> {cohort.name}",
    )
    return Reply.of(
        Section(
            f"Renamed cohort {old} to {cohort.name}. Its members, channel and history are as "
            "they were.",
            (f"New members join with `/pivot join {cohort.name}`.",),
        )
    )


async def archive(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.text("name"))
    await require_cohort_admin(ctx, inv, cohort)
    if cohort.archived_at is not None:
        raise UsageError(
            f"Cohort {cohort.name} was archived on {day(cohort.archived_at)}. To delete it for "
            f"good: `/pivot cohort delete {cohort.name}`."
        )
    members = await archive_cohort(ctx.session, cohort, ctx.now)
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "cohort archive",
        inv.user.user_id,
        f"{cohort.name}: {members} members",
    )
    return Reply.of(
        Section(
            f"Archived cohort {cohort.name}: no more weekly posts, digests or nudges, and "
            "nobody can join it now.",
            (
                _members_line(members),
                f"To delete it for good: `/pivot cohort delete {cohort.name}`.",
            ),
        )
    )


def _members_line(members: int) -> str:
    if not members:
        return "It had no members."
    who = "Its 1 member keeps" if members == 1 else f"Its {members} members keep"
    return (
        f"{who} their history and can join another cohort with `/pivot join <cohort>`, "
        "taking it with them."
    )


async def delete(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.text("name"))
    await require_cohort_admin(ctx, inv, cohort)
    name = cohort.name
    active = await active_members(ctx.session, cohort)
    if active and cohort.archived_at is None:
        raise UsageError(
            f"Cohort {name} has {plural(active, 'member')}: archive it first with "
            f"`/pivot cohort archive {name}`, then delete it."
        )
    on_record = await members_on_record(ctx.session, cohort)
    if ctx.args.text("confirm") != "confirm":
        return _ask_first(name, on_record)
    await delete_cohort(ctx.session, cohort)
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "cohort delete",
        inv.user.user_id,
        f"{name}: {on_record} members' history",
    )
    return Reply.of(Section(f"Done: cohort {name} is deleted."))


def _ask_first(name: str, on_record: int) -> Reply:
    people = f"{on_record} person who was" if on_record == 1 else f"{on_record} people who were"
    history = (
        f" It also deletes the history (check-ins, milestones, quiz attempts, points) of the "
        f"{people} in it and joined no other cohort."
        if on_record
        else ""
    )
    return Reply.of(
        Section(
            f"This deletes cohort {name} for good: its settings, admins, weekly posts and "
            f"digests.{history} It cannot be undone.",
            (f"To go ahead: `/pivot cohort delete {name} confirm`",),
        ),
        Actions(
            (
                Button(
                    f"Delete cohort {name}",
                    "cohort delete",
                    (("name", name), ("confirm", "confirm")),
                    "danger",
                ),
            )
        ),
    )


_NAME = Arg("name", ArgKind.WORD, "the cohort", required=True, max_length=40)

SPECS = (
    CommandSpec(
        name="cohort rename",
        summary="Give a cohort a new name; members, channel and history stay",
        example="/pivot cohort rename spring spring-2027",
        handler=rename,
        admin_only=True,
        needs_member=False,
        args=(
            Arg("old", ArgKind.WORD, "the cohort's name now", required=True, max_length=40),
            Arg("new", ArgKind.WORD, "its new name", required=True, max_length=40),
        ),
    ),
    CommandSpec(
        name="cohort archive",
        summary="End a cohort: posts and nudges stop, members keep their history",
        example="/pivot cohort archive spring-2027",
        handler=archive,
        admin_only=True,
        needs_member=False,
        args=(_NAME,),
    ),
    CommandSpec(
        name="cohort delete",
        summary="Delete an empty or archived cohort for good (asks first)",
        example="/pivot cohort delete spring-2027 confirm",
        handler=delete,
        admin_only=True,
        needs_member=False,
        args=(
            _NAME,
            Arg("confirm", ArgKind.CHOICE, "type confirm to delete for good", choices=("confirm",)),
        ),
    ),
)
