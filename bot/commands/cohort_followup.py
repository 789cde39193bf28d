"""``cohort followup``: an admin has reached out to a quiet member, so the digest can rest."""

from __future__ import annotations

from bot.commands.cohorts import require_cohort_admin
from bot.commands.errors import UsageError
from bot.commands.parsing import split_ref
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.models import Cohort
from bot.messages import Invocation, Reply, Section
from bot.services.admin_digest import FOLLOW_UP_WEEKS, follow_up
from bot.services.audit import record
from bot.services.tenancy import find_member
from bot.views.formatting import day


async def followed_up(inv: Invocation, ctx: Context) -> Reply:
    user_id, user_name = split_ref(ctx.args.text("member"))
    member = await find_member(ctx.session, ctx.tenant.id, user_id)
    cohort = None if member is None else await ctx.session.get(Cohort, member.cohort_id)
    if member is None or cohort is None or member.left_at is not None:
        raise UsageError(
            f"{user_name} isn't in a cohort here. Name a member of one, "
            "e.g. `/pivot cohort followup @eli`."
        )
    await require_cohort_admin(ctx, inv, cohort)
    until = await follow_up(ctx.session, cohort.id, member.id, ctx.now)
    record(
        ctx.session,
        ctx.tenant.id,
        ctx.now,
        "cohort followup",
        inv.user.user_id,
        f"{cohort.name}: member {member.id}",
    )
    return Reply.of(
        Section(
            f"Noted: you followed up {member.display_name}. The admin digest of {cohort.name} "
            f"leaves them out until {day(until)} ({FOLLOW_UP_WEEKS} weeks); if they check in "
            "again, it still tells you."
        )
    )


SPECS = (
    CommandSpec(
        name="cohort followup",
        summary="Note that you reached out to a quiet member: the digest leaves them out 4 weeks",
        example="/pivot cohort followup @eli",
        handler=followed_up,
        admin_only=True,
        needs_member=False,
        args=(
            Arg(
                "member",
                ArgKind.USER,
                "the member you reached out to",
                required=True,
                max_length=120,
                shown="<@member>",
            ),
        ),
    ),
)
