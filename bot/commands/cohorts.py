"""``cohort ...``: what organisers run. Every command here is for admins only, and every change
is written to the audit log in the same transaction."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from bot.commands.errors import UsageError
from bot.commands.parsing import expectation, split_ref
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.base import column_length
from bot.db.models import Cohort, CohortAdmin, Member
from bot.domain.plan import add_months, start_window
from bot.domain.weeks import local_date
from bot.messages import Header, Invocation, Reply, Section
from bot.services.audit import record
from bot.services.cohort_choice import choose_cohort
from bot.services.names import display_names
from bot.services.tenancy import (
    admin_cohort_ids,
    cohort_admin_ids,
    cohort_by_name,
    cohorts,
)
from bot.views.formatting import day, plural

_COHORT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


async def require_cohort_admin(ctx: Context, inv: Invocation, cohort: Cohort) -> None:
    """Platform admins run every cohort; a stored admin runs only their own."""
    if inv.user.is_platform_admin:
        return
    if cohort.id not in await admin_cohort_ids(ctx.session, ctx.tenant.id, inv.user.user_id):
        raise UsageError(f"Only admins of cohort {cohort.name} can change it.")


async def target_cohort(ctx: Context, inv: Invocation, name: str | None) -> Cohort:
    """The named cohort, else this channel's, else the caller's own, else the only one."""
    choice = await choose_cohort(
        ctx.session, ctx.tenant.id, name, inv.origin.channel_id, ctx.cohort
    )
    if choice.cohort is not None:
        return choice.cohort
    if choice.unknown is not None:
        raise UsageError(f"There's no cohort `{choice.unknown}` here. See `/pivot cohort list`.")
    raise UsageError("Which cohort? Name it, e.g. `/pivot cohort admin add @sam spring-2027`.")


async def new_cohort_name(ctx: Context, command: str, text: str) -> str:
    """A name a new (or renamed) cohort may take here: well formed, and not taken.

    Typed text never gets here with a space (the parser refuses it first); a Discord option
    can, and gets the same advice.
    """
    name = text.lower()
    if not _COHORT_NAME.match(name):
        spec = ctx.registry.get(command)
        expected = f" {expectation(spec)}" if spec is not None else ""
        joined = "-".join(name.split())[:40]
        hint = f"; `{text[:40]}` has a space, so try `{joined}`" if " " in text.strip() else ""
        raise UsageError(
            f"A cohort name is one word of 2-40 lowercase letters, digits or dashes{hint}."
            f"{expected}"
        )
    if await cohort_by_name(ctx.session, ctx.tenant.id, name) is not None:
        raise UsageError(f"Cohort {name} already exists. See `/pivot cohort list`.")
    return name


async def create(inv: Invocation, ctx: Context) -> Reply:
    name = await new_cohort_name(ctx, "cohort create", ctx.args.text("name"))
    timezone = ctx.args.opt_text("tz") or ctx.settings.default_timezone
    today = local_date(ctx.now, timezone)
    start_text = ctx.args.opt_text("start")
    start = _checked_start(name, date.fromisoformat(start_text), today) if start_text else today
    channel_id, channel_name = (
        await _chosen_channel(ctx) if ctx.args.has("channel") else (None, None)
    )
    cohort = Cohort(
        tenant_id=ctx.tenant.id,
        name=name,
        start_date=start,
        timezone=timezone,
        channel_id=channel_id,
        channel_name=channel_name,
        created_at=ctx.now,
    )
    ctx.session.add(cohort)
    await ctx.session.flush()
    ctx.session.add(CohortAdmin(cohort_id=cohort.id, user_id=inv.user.user_id, added_at=ctx.now))
    record(ctx.session, ctx.tenant.id, ctx.now, "cohort create", inv.user.user_id, name)
    where = (
        f"posts go to #{channel_name}"
        if channel_name
        else f"no channel yet: `/pivot cohort channel {name} #channel`"
    )
    warning = await _channel_warning(ctx, channel_id)
    return Reply.of(
        Section(
            f"Created cohort {name}, starting {day(start)} ({timezone}); {where}. "
            "You're its admin.",
            (f"Members join with `/pivot join {name}`.", *_start_meaning(start, today), *warning),
        )
    )


def _checked_start(name: str, start: date, today: date) -> date:
    first, last = start_window(today)
    if not first <= start <= last:
        example = add_months(today, 1).replace(day=1).isoformat()
        raise UsageError(
            f"A cohort starts within a year of today, from {day(first)} to {day(last)}, "
            f"not on {day(start)}. E.g. `/pivot cohort create {name} start {example}`."
        )
    return start


def _start_meaning(start: date, today: date) -> tuple[str, ...]:
    """What the start date means for members, said once to the organiser who chose it."""
    if start > today:
        return (
            f"Members who join before {day(start)} begin their plan that day: month 1, their "
            "pace and their weekly nudges count from then. Check-ins before it still earn "
            "points.",
        )
    if start < today:
        return ("It has already started: each member's plan counts from the day they join.",)
    return ()


async def list_cohorts(inv: Invocation, ctx: Context) -> Reply:
    del inv
    every = await cohorts(ctx.session, ctx.tenant.id)
    if not every:
        return Reply.of(Section("No cohorts yet. Create one: `/pivot cohort create spring-2027`."))
    rows = await ctx.session.execute(
        select(Member.cohort_id, func.count())
        .where(Member.tenant_id == ctx.tenant.id, Member.left_at.is_(None))
        .group_by(Member.cohort_id)
    )
    counts: dict[int, int] = dict(rows.all())
    admin_ids = {cohort.id: await cohort_admin_ids(ctx.session, cohort.id) for cohort in every}
    names = await display_names(
        ctx.session, ctx.tenant, ctx.directory, [a for ids in admin_ids.values() for a in ids]
    )
    lines = []
    for cohort in every:
        admins = ", ".join(names[a] for a in admin_ids[cohort.id]) or "platform admins only"
        channel = f"#{cohort.channel_name}" if cohort.channel_name else "no channel"
        name = cohort.name
        if cohort.archived_at is not None:
            name += f" (archived {day(cohort.archived_at)})"
        lines.append(
            f"{name}: started {day(cohort.start_date)}, "
            f"{plural(counts.get(cohort.id, 0), 'member')}, {channel}, admins: {admins}"
        )
    return Reply.of(Header("Cohorts"), Section("", tuple(lines)))


async def set_channel(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.text("name"))
    await require_cohort_admin(ctx, inv, cohort)
    channel_id, channel_name = await _chosen_channel(ctx)
    cohort.channel_id, cohort.channel_name = channel_id, channel_name
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "cohort channel",
        inv.user.user_id,
        f"{cohort.name} -> {channel_id}",
    )
    warning = await _channel_warning(ctx, channel_id)
    return Reply.of(Section(f"Cohort {cohort.name} now posts in #{channel_name}.", tuple(warning)))


async def _chosen_channel(ctx: Context) -> tuple[str, str]:
    """The ``channel`` argument as (id, name), asking the platform when it was typed as a name.

    A mention carries its id; a plain ``#name`` carries only the name, which is also its id on
    a platform without a directory (the console).
    """
    channel_id, channel_name = split_ref(ctx.args.text("channel"))
    if ctx.directory is None or channel_id != channel_name:
        return channel_id, channel_name
    found = await ctx.directory.find_channel(ctx.tenant.external_id, channel_name)
    if found is None:
        raise UsageError(
            f"pivotbot can't find a channel #{channel_name[:80]}. Type # and pick the channel "
            "from the list, e.g. `/pivot cohort channel spring-2027 #pivot-spring`."
        )
    return found.id, found.name[: column_length(Cohort.channel_name)]


async def _channel_warning(ctx: Context, channel_id: str | None) -> list[str]:
    if channel_id is None or ctx.directory is None:
        return []
    problem = await ctx.directory.channel_problem(ctx.tenant.external_id, channel_id)
    return [f"Heads up: {problem}"] if problem else []


async def admins(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.opt_text("cohort"))
    await require_cohort_admin(ctx, inv, cohort)
    user_id, user_name = split_ref(ctx.args.text("user"))
    if user_name == user_id:  # a bare mention, as Slack sends them: ask who it is
        names = await display_names(ctx.session, ctx.tenant, ctx.directory, [user_id])
        user_name = names[user_id]
    existing = await ctx.session.get(CohortAdmin, (cohort.id, user_id))
    if ctx.args.text("action") == "add":
        if existing is not None:
            raise UsageError(f"{user_name} is already an admin of {cohort.name}.")
        ctx.session.add(CohortAdmin(cohort_id=cohort.id, user_id=user_id, added_at=ctx.now))
        headline = f"{user_name} is now an admin of cohort {cohort.name}."
    else:
        if existing is None:
            raise UsageError(f"{user_name} isn't an admin of {cohort.name}.")
        if len(await cohort_admin_ids(ctx.session, cohort.id)) == 1:
            raise UsageError(
                f"{user_name} is the last admin of cohort {cohort.name}; without one, only the "
                "workspace's or server's own admins could run it. Add another admin first, "
                f"e.g. `/pivot cohort admin add @sam {cohort.name}`, then remove {user_name}."
            )
        await ctx.session.delete(existing)
        headline = f"{user_name} is no longer an admin of cohort {cohort.name}."
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        f"cohort admin {ctx.args.text('action')}",
        inv.user.user_id,
        cohort.name,
        target_user_id=user_id,
    )
    return Reply.of(Section(headline))


_CHANNEL_HELP = "the channel for leaderboards and announcements"

SPECS = (
    CommandSpec(
        name="cohort create",
        summary="Create a cohort, optionally with a start date and a channel",
        example="/pivot cohort create spring-2027 start 2027-03-01 #pivot-spring",
        handler=create,
        admin_only=True,
        needs_member=False,
        args=(
            Arg(
                "name",
                ArgKind.WORD,
                "2-40 lowercase letters, digits or dashes",
                required=True,
                max_length=column_length(Cohort.name),
            ),
            Arg(
                "start",
                ArgKind.DATE,
                "the first day of the cohort",
                keyword=True,
                max_length=10,
                shown="<YYYY-MM-DD>",
            ),
            Arg(
                "tz",
                ArgKind.TIMEZONE,
                "the cohort's timezone for posts",
                keyword=True,
                max_length=column_length(Cohort.timezone),
                shown="<Area/City>",
            ),
            Arg("channel", ArgKind.CHANNEL, _CHANNEL_HELP, max_length=120, shown="<#channel>"),
        ),
    ),
    CommandSpec(
        name="cohort list",
        summary="Every cohort here, with members, channel and admins",
        example="/pivot cohort list",
        handler=list_cohorts,
        admin_only=True,
        needs_member=False,
        dedupe=False,
        read_only=True,
    ),
    CommandSpec(
        name="cohort channel",
        summary="Set the channel where a cohort's leaderboard is posted",
        example="/pivot cohort channel spring-2027 #pivot-spring",
        handler=set_channel,
        admin_only=True,
        needs_member=False,
        args=(
            Arg(
                "name",
                ArgKind.WORD,
                "the cohort",
                required=True,
                max_length=column_length(Cohort.name),
            ),
            Arg(
                "channel",
                ArgKind.CHANNEL,
                _CHANNEL_HELP,
                required=True,
                max_length=120,
                shown="<#channel>",
            ),
        ),
    ),
    CommandSpec(
        name="cohort admin",
        summary="Add or remove a cohort admin",
        example="/pivot cohort admin add @sam spring-2027",
        handler=admins,
        admin_only=True,
        needs_member=False,
        args=(
            Arg(
                "action", ArgKind.CHOICE, "add or remove", required=True, choices=("add", "remove")
            ),
            Arg("user", ArgKind.USER, "the person", required=True, max_length=120, shown="<@user>"),
            Arg(
                "cohort",
                ArgKind.WORD,
                "the cohort, when there are several",
                max_length=column_length(Cohort.name),
            ),
        ),
    ),
)
