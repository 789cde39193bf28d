"""``pause`` and ``resume``: holidays and hard weeks without losing the streak."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.models import Pause
from bot.domain.weeks import local_date
from bot.messages import Invocation, Reply, Section
from bot.views.formatting import day, plural

MAX_PAUSE_WEEKS = 12


async def _active_pause(ctx: Context, member_id: int) -> Pause | None:
    return await ctx.session.scalar(
        select(Pause)
        .where(Pause.member_id == member_id, Pause.starts_at <= ctx.now, Pause.ends_at > ctx.now)
        .order_by(Pause.ends_at.desc())
    )


async def pause(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    weeks = ctx.args.integer("weeks")
    until = ctx.now + timedelta(weeks=weeks)
    until_day = day(local_date(until, member.timezone))
    current = await _active_pause(ctx, member.id)
    if current is not None:
        current.ends_at = until
        headline = f"Your pause now runs {plural(weeks, 'week')} from today, until {until_day}."
    else:
        ctx.session.add(Pause(member_id=member.id, starts_at=ctx.now, ends_at=until))
        headline = f"Paused for {plural(weeks, 'week')}, until {until_day}."
    return Reply.of(
        Section(
            headline,
            (
                "No nudges until then, and paused weeks never break your streak.",
                "Back early? `/pivot resume`, or just check in.",
            ),
        )
    )


async def resume(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    current = await _active_pause(ctx, member.id)
    if current is None:
        raise UsageError(
            "You're not paused. To take a break: `/pivot pause <weeks>`, e.g. `/pivot pause 2`."
        )
    current.ends_at = ctx.now
    return Reply.of(Section("Welcome back! Your pause is over and nudges start again."))


SPECS = (
    CommandSpec(
        name="pause",
        summary="Pause nudges for a few weeks; your streak survives",
        example="/pivot pause 2",
        handler=pause,
        args=(
            Arg(
                "weeks",
                ArgKind.INT,
                f"how many weeks, 1 to {MAX_PAUSE_WEEKS}",
                required=True,
                minimum=1,
                maximum=MAX_PAUSE_WEEKS,
                max_length=3,
            ),
        ),
    ),
    CommandSpec(
        name="resume",
        summary="End a pause early",
        example="/pivot resume",
        handler=resume,
    ),
)
