"""``cohort dashboard`` and the roadmap's link: signed links to the web pages.

A link is made for one person and one page: an admin's link to a cohort's dashboard, or a
member's link to their own roadmap. Both replies are private, since the link is the key.
"""

from __future__ import annotations

from bot.commands.cohorts import target_cohort
from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.base import column_length
from bot.db.models import Cohort, Member
from bot.messages import Invocation, Link, Reply, Section
from bot.services.tenancy import admin_cohort_ids, cohort_by_channel, cohorts
from bot.services.web_links import PageKind, issue_link, page_url

DASHBOARD_LABEL = "Open the dashboard"
ROADMAP_LABEL = "Open my roadmap"


async def dashboard(inv: Invocation, ctx: Context) -> Reply:
    rows = await admin_cohort_ids(ctx.session, ctx.tenant.id, inv.user.user_id)
    cohort = await _dashboard_cohort(ctx, inv, rows)
    if cohort.id not in rows and not inv.user.is_platform_admin:
        raise UsageError(f"The dashboard of cohort {cohort.name} is for its admins only.")
    if cohort.archived_at is not None:
        raise UsageError(
            f"Cohort {cohort.name} is archived, so it has no dashboard; "
            f"`/pivot cohort report {cohort.name}` still sums it up."
        )
    token = await issue_link(
        ctx.session,
        ctx.settings,
        ctx.now,
        tenant_id=ctx.tenant.id,
        kind=PageKind.DASHBOARD,
        cohort_id=cohort.id,
        asked_by=inv.user.user_id,
        asked_as_platform_admin=cohort.id not in rows,
    )
    return Reply.of(
        Section(
            f"The dashboard of cohort {cohort.name}, for its admins: this link is yours alone "
            f"and works for {_days(ctx)}."
        ),
        Link(DASHBOARD_LABEL, page_url(ctx.settings, token), token),
    )


async def _dashboard_cohort(ctx: Context, inv: Invocation, rows: set[int]) -> Cohort:
    """The named cohort; else this channel's; else the one open cohort the admin runs."""
    name = ctx.args.opt_text("cohort")
    if name:
        return await target_cohort(ctx, inv, name)
    here = await cohort_by_channel(ctx.session, ctx.tenant.id, inv.origin.channel_id)
    if here is not None:
        return here
    runs = [
        c
        for c in await cohorts(ctx.session, ctx.tenant.id)
        if c.archived_at is None and (c.id in rows or inv.user.is_platform_admin)
    ]
    if len(runs) == 1:
        return runs[0]
    if not runs:
        raise UsageError(
            "There's no open cohort here to show. Create one with `/pivot cohort create "
            "spring-2027`."
        )
    names = ", ".join(c.name for c in runs)
    raise UsageError(
        f"Which cohort? You run {names}. Example: `/pivot cohort dashboard {runs[0].name}`."
    )


async def roadmap_link(ctx: Context, member: Member, cohort: Cohort) -> Link:
    """The member's own roadmap page; asked again within a day, it is the same link."""
    token = await issue_link(
        ctx.session,
        ctx.settings,
        ctx.now,
        tenant_id=ctx.tenant.id,
        kind=PageKind.ROADMAP,
        cohort_id=cohort.id,
        member_id=member.id,
    )
    return Link(ROADMAP_LABEL, page_url(ctx.settings, token), token)


def _days(ctx: Context) -> str:
    days = ctx.settings.web_link_days
    return "1 day" if days == 1 else f"{days} days"


SPECS = (
    CommandSpec(
        name="cohort dashboard",
        summary="A private link to the cohort's web dashboard: phases, pace, risks, members",
        example="/pivot cohort dashboard spring-2027",
        handler=dashboard,
        admin_only=True,
        needs_member=False,
        dedupe=False,
        changes_views=False,  # a link, which no other view shows
        args=(
            Arg(
                "cohort",
                ArgKind.WORD,
                "the cohort, when you run several",
                max_length=column_length(Cohort.name),
            ),
        ),
    ),
)
