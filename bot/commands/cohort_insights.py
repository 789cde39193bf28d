"""``cohort chart`` and ``cohort report``: how a cohort is doing, as a picture and in detail."""

from __future__ import annotations

from bot.commands.cohorts import target_cohort
from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.base import column_length
from bot.db.models import Cohort
from bot.messages import Invocation, Reply, Section
from bot.services.cohort_report import cohort_report
from bot.services.tenancy import admin_cohort_ids
from bot.views.cohort_report import report_blocks
from bot.views.weekly_post import cohort_chart


async def _administers(ctx: Context, inv: Invocation, cohort: Cohort) -> bool:
    if inv.user.is_platform_admin:
        return True
    return cohort.id in await admin_cohort_ids(ctx.session, ctx.tenant.id, inv.user.user_id)


def _is_member(ctx: Context, cohort: Cohort) -> bool:
    member = ctx.member
    return member is not None and member.left_at is None and member.cohort_id == cohort.id


async def chart(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.opt_text("cohort"))
    if not _is_member(ctx, cohort) and not await _administers(ctx, inv, cohort):
        raise UsageError(
            f"The chart of cohort {cohort.name} is for its members and admins. "
            "Join it with `/pivot join`."
        )
    image = await cohort_chart(ctx.session, cohort, ctx.now)
    return Reply.of(Section(f"Cohort {cohort.name} at a glance."), image)


async def report(inv: Invocation, ctx: Context) -> Reply:
    cohort = await target_cohort(ctx, inv, ctx.args.opt_text("cohort"))
    if not await _administers(ctx, inv, cohort):
        raise UsageError(f"The report of cohort {cohort.name} is for its admins only.")
    return Reply.of(*report_blocks(await cohort_report(ctx.session, cohort, ctx.now)))


_COHORT = Arg(
    "cohort",
    ArgKind.WORD,
    "the cohort, when there are several",
    max_length=column_length(Cohort.name),
)

SPECS = (
    CommandSpec(
        name="cohort chart",
        summary="A chart of the cohort: phases, pace and weekly check-ins (members and admins)",
        example="/pivot cohort chart",
        handler=chart,
        needs_member=False,
        dedupe=False,
        args=(_COHORT,),
    ),
    CommandSpec(
        name="cohort report",
        summary="Check-in rate, phases, who is at risk and gate pass rates, privately",
        example="/pivot cohort report spring-2027",
        handler=report,
        admin_only=True,
        needs_member=False,
        dedupe=False,
        args=(_COHORT,),
    ),
)
