"""The weekly leaderboard post for a cohort's channel, as a reply the scheduler queues, and
the cohort chart it carries."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort
from bot.domain.weeks import IsoWeek
from bot.messages import Header, Image, Reply, Section
from bot.services.alumni import Alumnus, visible_alumni
from bot.services.cohort_stats import cohort_stats
from bot.services.leaderboards import standings
from bot.views.cohort_chart import chart_alt, render_cohort_chart
from bot.views.leaderboards import board_blocks


async def cohort_chart(
    session: AsyncSession, cohort: Cohort, now: datetime, week: IsoWeek | None = None
) -> Image:
    """The cohort chart as an ``Image`` block, up to ``week`` (the current week by default).

    The PNG is drawn in a worker thread (tens of milliseconds of CPU), so the event loop
    keeps serving other members meanwhile.
    """
    stats = await cohort_stats(session, cohort, now, week=week)
    png = await asyncio.to_thread(render_cohort_chart, stats)
    return Image(
        alt=chart_alt(stats), png_bytes=png, filename=f"cohort-{cohort.name}-{stats.this_week}.png"
    )


def alumni_blocks(cohort: Cohort, alumni: Sequence[Alumnus]) -> tuple[Section, ...]:
    """One line of names, in the order they graduated: alumni are remembered, never ranked."""
    if not alumni:
        return ()
    names = ", ".join(f"{a.display_name} (graduated {a.graduated_at:%b %Y})" for a in alumni)
    return (Section(f"Alumni of cohort {cohort.name}: {names}."),)


async def weekly_leaderboard_post(
    session: AsyncSession,
    cohort: Cohort,
    now: datetime,
    content: ContentLibrary,
    *,
    week: IsoWeek | None = None,
) -> Reply:
    """The public weekly post: this week's points, the pace board and the cohort chart.

    ``week`` is the week whose points are shown, the cohort's current ISO week by default; a
    catch-up post after downtime passes the week it stands for. The reply is not ephemeral.
    It names nobody who hides from leaderboards, lists nobody who earned nothing, and has no
    line for any one member, so it is safe to post to the whole channel. Read-only: the
    caller owns the session and its transaction.
    """
    week_board = await standings(session, cohort, "week", now, week=week)
    pace_board = await standings(session, cohort, "pace", now)
    image = await cohort_chart(session, cohort, now, week_board.week)
    return Reply.of(
        Header(f"Weekly standings · cohort {cohort.name} · {week_board.week}"),
        *board_blocks(week_board, content.point_rules),
        *board_blocks(pace_board, content.point_rules),
        *alumni_blocks(cohort, await visible_alumni(session, cohort)),
        Section(
            "Points reward showing up; the pace board measures each of us against our own "
            "plan. How it all works: `/pivot leaderboard rules`."
        ),
        image,
        ephemeral=False,
    )
