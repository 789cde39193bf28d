"""``history``: a member's past check-ins, newest first, to look back over a long plan."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.models import Checkin
from bot.messages import Actions, Block, Header, Invocation, Reply, Section
from bot.views.formatting import hours, plural
from bot.views.status import CHECKIN_BUTTON, STATUS_BUTTON

SHOWN = 8
MOST = 52


async def history(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    wanted = ctx.args.integer("n")
    rows = (
        await ctx.session.execute(
            select(Checkin.iso_week, Checkin.hours, Checkin.summary)
            .where(Checkin.member_id == member.id)
            .order_by(Checkin.iso_week.desc())
            .limit(wanted)
        )
    ).all()
    if not rows:
        return Reply.of(
            Section("No check-ins yet. `/pivot checkin 5h what you did | blockers` records one."),
            Actions((CHECKIN_BUTTON,)),
        )
    total = int(
        await ctx.session.scalar(
            select(func.count()).select_from(Checkin).where(Checkin.member_id == member.id)
        )
        or 0
    )
    lines = [f"{week} · {hours(spent)} — {did}" for week, spent, did in rows]
    blocks: list[Block] = [
        Header(f"Your check-ins, newest first: {len(rows)} of {plural(total, 'check-in')}"),
        Section("", tuple(lines)),
    ]
    if total > len(rows) and wanted < MOST:
        blocks.append(Section(f"Older ones too: `/pivot history {min(total, MOST)}`."))
    return Reply.of(*blocks, Actions((STATUS_BUTTON,)))


SPECS = (
    CommandSpec(
        name="history",
        asks_who=False,
        summary="Your past check-ins, newest first: week, hours and what you did",
        example="/pivot history 12",
        handler=history,
        dedupe=False,
        read_only=True,
        args=(
            Arg(
                "n",
                ArgKind.INT,
                f"how many weeks to show, 1 to {MOST}",
                default=SHOWN,
                minimum=1,
                maximum=MOST,
                max_length=2,
                shown="<n>",
            ),
        ),
    ),
)
