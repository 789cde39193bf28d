"""``checkin``: one per ISO week in your own timezone; a second one amends the first.

``checkin last`` records (or amends) last week's instead, until the end of Wednesday in the
member's time (see :mod:`bot.domain.checkin_window`): a week is easiest to describe once it
is over, and a missed Sunday should not cost a streak.

A check-in form may also tick off the milestones its member picked: they ride along as the
hidden ``milestones`` argument and are marked exactly as ``done`` marks them, in the same
transaction, so the check-in and its milestones are saved together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import update

from bot.commands.errors import UsageError
from bot.commands.milestones import mark_done
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.content.schema import Milestone, Phase
from bot.db.base import column_length
from bot.db.models import Checkin, Cohort, Member, Pause
from bot.domain.checkin_window import closes_on, last_week_open
from bot.domain.weeks import IsoWeek, local_date
from bot.messages import Actions, ArgValue, Invocation, Reply, Section
from bot.services.member_rows import CheckinRow, MemberRows, load_member_rows, sync_points
from bot.services.snapshot import compute_snapshot
from bot.services.struggles import struggle_of
from bot.views.formatting import day, hours, with_article
from bot.views.leaderboards import earned_line
from bot.views.status import LAST_WEEK_STEP, STATUS_BUTTON, plan_line, streak_line
from bot.views.struggles import support_section

MILESTONES = "milestones"
WEEK = "week"
THIS_WEEK, LAST_WEEK = "this", "last"


def with_milestones(args: Mapping[str, ArgValue], keys: Iterable[str]) -> dict[str, ArgValue]:
    """A check-in form's arguments with the milestones its member picked, as ``checkin`` takes
    them."""
    picked = " ".join(keys)
    return {**args, MILESTONES: picked} if picked else dict(args)


def _picked(ctx: Context, member: Member) -> tuple[Phase, list[Milestone]]:
    """The picked milestones, each one of the member's phase (the only ones a form offers)."""
    phase = ctx.roadmap.phase(member.phase)
    offered = {m.key: m for m in phase.milestones}
    keys = dict.fromkeys((ctx.args.opt_text(MILESTONES) or "").split())
    for key in keys:
        if key not in offered:
            raise UsageError(
                f"`{key[:40]}` is not a milestone of phase {phase.number}, so nothing was saved. "
                f"Phase {phase.number} has: {', '.join(offered)}."
            )
    return phase, [offered[key] for key in keys]


async def checkin(inv: Invocation, ctx: Context) -> Reply:
    member, cohort = ctx.joined()
    phase, picked = _picked(ctx, member)
    rows = await load_member_rows(ctx.session, member.id)
    reply = await _check_in(inv, ctx, member, cohort, rows)
    support = _support(ctx, member, rows)
    marked = [await mark_done(ctx, member, cohort, phase, m, None, rows) for m in picked]
    return Reply.joined([reply, *support, *marked])


def _support(ctx: Context, member: Member, rows: MemberRows) -> list[Reply]:
    """A check-in that shows the member stuck is answered with help for what they wrote."""
    found = struggle_of(member, ctx.roadmap, rows.notes(), rows.progress)
    return [] if found is None else [Reply.of(support_section(*found))]


def _week(ctx: Context, member: Member) -> IsoWeek:
    """The week this check-in is for: this one, or last week while its window is open."""
    today = local_date(ctx.now, member.timezone)
    this_week = IsoWeek.of(today)
    if ctx.args.text(WEEK) != LAST_WEEK:
        return this_week
    last_week = this_week.previous()
    if not last_week_open(today):
        raise UsageError(
            f"Last week's check-in ({last_week}) closed at the end of Wednesday "
            f"{day(closes_on(last_week))}, your time. Check in for this week instead: "
            "`/pivot checkin 5h what you did | blockers`."
        )
    if last_week < IsoWeek.of(member.plan_start):
        raise UsageError(
            f"Your plan starts on {day(member.plan_start)}, so there is no last week to check "
            "in for. Check in for this week: `/pivot checkin 5h what you did | blockers`."
        )
    return last_week


async def _check_in(
    inv: Invocation, ctx: Context, member: Member, cohort: Cohort, rows: MemberRows
) -> Reply:
    week = _week(ctx, member)
    which = " (last week)" if ctx.args.text(WEEK) == LAST_WEEK else ""
    summary = ctx.args.text("summary")
    blockers = ctx.args.opt_text("blockers")
    confidence = ctx.args.opt_integer("confidence")
    existing = rows.checkins.get(week)
    if existing is None:
        ctx.session.add(
            Checkin(
                member_id=member.id,
                iso_week=str(week),
                week_start=week.monday(),
                hours=ctx.args.number("hours"),
                summary=summary,
                blockers=blockers,
                confidence=confidence,
                created_at=ctx.now,
                updated_at=ctx.now,
                amendments=0,
                request_id=inv.request_id,
            )
        )
        rows.checkins[week] = CheckinRow(None, week, ctx.now, blockers, confidence)
        headline = f"Checked in for {week}{which}: {hours(ctx.args.number('hours'))} — {summary}"
    else:
        await _amend(inv, ctx, existing, summary, blockers, confidence)
        headline = (
            f"You had already checked in for {week}{which}, so this amends it: "
            f"{hours(ctx.args.number('hours'))} — {summary}"
        )
    resumed = await _end_pause(ctx, rows)
    awards = await sync_points(ctx.session, member, cohort, ctx.content, ctx.now, rows)
    snapshot = compute_snapshot(member, ctx.roadmap, ctx.now, rows.history())
    fields = [f"Blockers: {blockers}" if blockers else "Blockers: none"]
    if confidence is not None:
        fields.append(f"Confidence: {confidence}/5")
    if resumed:
        fields.append("Welcome back: checking in ended your pause.")
    earned = earned_line(awards)
    if earned:
        fields.append(earned)
    after = [streak_line(snapshot), plan_line(snapshot)]
    reached = max((a.streak_length for a in awards if a.streak_length), default=0)
    if reached:
        after.insert(0, f"🔥 That makes {with_article(f'{reached}-week streak')}. Well kept!")
    if snapshot.last_week_missing:
        after.append(LAST_WEEK_STEP)
    return Reply.of(
        Section(headline, tuple(fields)),
        Section("\n".join(after)),
        Actions((STATUS_BUTTON,)),
    )


async def _amend(
    inv: Invocation,
    ctx: Context,
    existing: CheckinRow,
    summary: str,
    blockers: str | None,
    confidence: int | None,
) -> None:
    """The week's check-in says what this one says; a confidence left out keeps the old."""
    changes: dict[str, object] = {
        "hours": ctx.args.number("hours"),
        "summary": summary,
        "blockers": blockers,
        "updated_at": ctx.now,
        "amendments": Checkin.amendments + 1,
        "request_id": inv.request_id,
    }
    if confidence is not None:
        changes["confidence"] = confidence
        existing.confidence = confidence
    existing.blockers = blockers
    await ctx.session.execute(update(Checkin).where(Checkin.id == existing.id).values(changes))


async def _end_pause(ctx: Context, rows: MemberRows) -> bool:
    """Checking in means you are back, so an active pause ends now."""
    active = rows.active_pauses(ctx.now)
    if not active:
        return False
    await ctx.session.execute(
        update(Pause).where(Pause.id.in_([p.id for p in active])).values(ends_at=ctx.now)
    )
    for pause in active:
        pause.ends_at = ctx.now
    return True


SPECS = (
    CommandSpec(
        name="checkin",
        asks_who=False,
        summary="Record a week's work (this week, or last until Wednesday): hours, what you did",
        example="/pivot checkin 6h shipped the flask service | blocked on docker networking | 4",
        handler=checkin,
        aliases=("check-in", "ci"),
        form=True,
        details=(
            "One check-in per ISO week in your timezone; checking in again the same week "
            "amends it. Separate the parts with |. Until the end of Wednesday, `last` records "
            "or amends last week's instead, e.g. `/pivot checkin last 5h finished the tests`."
        ),
        args=(
            Arg(
                WEEK,
                ArgKind.CHOICE,
                "the week: this, or last until Wednesday",
                choices=(THIS_WEEK, LAST_WEEK),
                default=THIS_WEEK,
                max_length=4,
            ),
            Arg(
                "hours",
                ArgKind.HOURS,
                "hours spent this week, like 6h",
                required=True,
                maximum=80,
                max_length=8,
                shown="<hours>h",
            ),
            Arg(
                "summary",
                ArgKind.TEXT,
                "what you did",
                required=True,
                max_length=column_length(Checkin.summary),
                shown="<what you did>",
            ),
            Arg(
                "blockers",
                ArgKind.TEXT,
                "what's in your way",
                max_length=column_length(Checkin.blockers),
            ),
            Arg(
                "confidence",
                ArgKind.INT,
                "how confident you feel, 1 to 5",
                minimum=1,
                maximum=5,
                max_length=1,
                shown="<1-5>",
            ),
            Arg(
                MILESTONES,
                ArgKind.TEXT,
                "keys of the milestones finished, picked in a check-in form",
                hidden=True,
                max_length=1000,
            ),
        ),
    ),
)
