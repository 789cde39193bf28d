"""``join`` and ``leave``: how a member enters a cohort and steps out of it."""

from __future__ import annotations

from datetime import time

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.content.schema import Roadmap, Track
from bot.db.base import column_length
from bot.db.models import Cohort, Member
from bot.domain.plan import plan_start
from bot.domain.weeks import local_date, weekday_name
from bot.messages import Actions, Block, Header, Invocation, Reply, Section
from bot.services.cohort_choice import CohortChoice, choose_cohort
from bot.services.gate_status import gate_status
from bot.services.points import sync_member_points
from bot.services.snapshot import load_snapshot
from bot.services.tenancy import cohorts
from bot.views.formatting import day, with_article
from bot.views.quizzes import PLACEMENT_BUTTON
from bot.views.status import status_blocks

DEFAULT_NUDGE_TIME = time(9, 0)


async def join(inv: Invocation, ctx: Context) -> Reply:
    member = ctx.member
    if member is not None and member.left_at is None and ctx.cohort is not None:
        snapshot = await load_snapshot(ctx.session, member, ctx.cohort, ctx.roadmap, ctx.now)
        gate = await gate_status(ctx.session, member, snapshot, ctx.now)
        return Reply.of(
            Section(f"You're already in cohort {ctx.cohort.name}. Here is where you stand."),
            *status_blocks(snapshot, gate, member.timezone),
        )
    cohort = await _choose_cohort(ctx, inv)
    roadmap = ctx.content.roadmap(cohort.roadmap_key)
    track = _choose_track(ctx, roadmap)
    timezone = ctx.args.opt_text("tz") or (member.timezone if member else cohort.timezone)
    joined_on = local_date(ctx.now, timezone)
    if member is None:
        start = plan_start(joined_on, cohort.start_date)
        member = Member(
            tenant_id=ctx.tenant.id,
            user_id=inv.user.user_id,
            display_name=inv.user.display_name[: column_length(Member.display_name)]
            or inv.user.user_id,
            nudge_weekday=0,
            nudge_time=DEFAULT_NUDGE_TIME,
            leaderboard_visible=True,
            dms_enabled=True,
            track=track.key,
            joined_at=ctx.now,
            plan_start=start,
            phase=1,
            phase_started_on=start,
        )
        ctx.session.add(member)
        greeting = f"Welcome to cohort {cohort.name}, {member.display_name}!"
        plan_sentence = (
            "Your plan starts today."
            if start == joined_on
            else f"Your plan starts on {day(start)}, when the cohort starts: month 1 and your "
            "weekly nudges begin then, and check-ins before it still earn points."
        )
    else:
        # A returning member keeps their plan: same start, same phase, same pace.
        if ctx.args.has("track") or ctx.args.has("months"):
            member.track = track.key
        track = roadmap.track(member.track) or track
        greeting = (
            f"Welcome back to cohort {cohort.name}, {member.display_name}! "
            "Your history is as you left it."
            if member.cohort_id == cohort.id
            else f"Welcome to cohort {cohort.name}, {member.display_name}! "
            "Your history comes with you."
        )
        plan_sentence = f"Your plan keeps its start, {day(member.plan_start)}."
    member.cohort_id = cohort.id
    member.level = ctx.args.opt_text("level") or member.level or "mid"
    member.timezone = timezone
    member.left_at = None
    await sync_member_points(ctx.session, member, cohort, ctx.content, ctx.now)
    ctx.member, ctx.cohort = member, cohort
    snapshot = await load_snapshot(ctx.session, member, cohort, roadmap, ctx.now)
    phase = roadmap.phase(member.phase)
    placement: tuple[Block, ...] = ()
    status = await gate_status(ctx.session, member, snapshot, ctx.now)
    if status.state == "open" and status.kind == "placement":
        placement = (
            Section(
                "The fast track starts with a placement quiz: the phase-1 gate. Pass it and you "
                "begin in phase 2; if not, you start phase 1 as a two-month refresher, or switch "
                "to the standard track. Either way you're in."
            ),
            Actions((PLACEMENT_BUTTON,)),
        )
    return Reply.of(
        Header(greeting),
        Section(
            f"{track.title}: {track.description} {plan_sentence}",
            (
                f"Phase {phase.number}: {phase.title}. {phase.goal}",
                f"Weekly nudge: {weekday_name(member.nudge_weekday)}s at "
                f"{member.nudge_time:%H:%M} {member.timezone} "
                "(change it with `/pivot settings nudge <weekday> <HH:MM>`).",
            ),
        ),
        *status_blocks(snapshot, status, member.timezone),
        *placement,
    )


async def _choose_cohort(ctx: Context, inv: Invocation) -> Cohort:
    choice = await choose_cohort(
        ctx.session, ctx.tenant.id, ctx.args.opt_text("cohort"), inv.origin.channel_id
    )
    if choice.cohort is not None and choice.cohort.archived_at is not None:
        others = [
            c.name for c in await cohorts(ctx.session, ctx.tenant.id) if c.archived_at is None
        ]
        where = (
            f"Join another, e.g. `/pivot join {others[0]}`. Open cohorts: {', '.join(others)}."
            if others
            else "No cohort here is open; an admin creates one with `/pivot cohort create <name>`."
        )
        raise UsageError(f"Cohort {choice.cohort.name} is archived: it takes no members. {where}")
    if choice.cohort is not None:
        return choice.cohort
    if choice.unknown is not None:
        raise UsageError(f"There's no cohort `{choice.unknown}` here. {_cohort_hint(choice)}")
    if not choice.names:
        raise UsageError(
            "There's no cohort here yet. An admin can create one with "
            "`/pivot cohort create <name>`, e.g. `/pivot cohort create spring-2027`."
        )
    raise UsageError(f"Which cohort? {_cohort_hint(choice)}")


def _cohort_hint(choice: CohortChoice) -> str:
    if not choice.names:
        return "There are no cohorts yet; an admin creates them with `/pivot cohort create <name>`."
    return (
        f"Expected `/pivot join <cohort>`, e.g. `/pivot join {choice.names[0]}`. "
        f"Cohorts here: {', '.join(choice.names)}."
    )


def _choose_track(ctx: Context, roadmap: Roadmap) -> Track:
    months = ctx.args.opt_integer("months")
    key = ctx.args.opt_text("track")
    if months is not None:
        plan = with_article(f"{months}-month plan", capital=True)
        if months < roadmap.minimum_months:
            raise UsageError(f"{plan} is too short. {roadmap.minimum_reason}")
        by_length = {t.months: t for t in roadmap.tracks}
        if months not in by_length:
            lengths = ", ".join(f"{t.months} ({t.key})" for t in roadmap.tracks)
            raise UsageError(f"Plans last {lengths} months, e.g. `/pivot join months 24`.")
        chosen = by_length[months]
        if key and key != chosen.key:
            raise UsageError(
                f"{plan} is the {chosen.key} track, not {key}. "
                f"Give one of them, e.g. `/pivot join track {chosen.key}`."
            )
        return chosen
    track = roadmap.track(key or "standard")
    if track is None:
        raise UsageError(
            f"There's no track `{key}` in this roadmap, e.g. `/pivot join track fast`."
        )
    return track


async def leave(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    member.left_at = ctx.now
    return Reply.of(
        Section(
            f"You've left cohort {cohort.name}. No more nudges. Your history is kept: "
            "`/pivot join` brings you back where you were, and `/pivot forget` deletes it."
        )
    )


SPECS = (
    CommandSpec(
        name="join",
        summary="Join a cohort and start your plan",
        example="/pivot join demo track fast level senior tz Europe/Berlin",
        handler=join,
        needs_member=False,
        details=(
            "The standard track lasts 24 months; the fast track lasts 18 and suits people who "
            "already have engineering foundations. In a cohort's channel, that cohort is the "
            "default."
        ),
        args=(
            Arg(
                "cohort", ArgKind.WORD, "the cohort to join", max_length=column_length(Cohort.name)
            ),
            Arg(
                "track",
                ArgKind.CHOICE,
                "standard (24 months) or fast (18 months)",
                choices=("standard", "fast"),
                keyword=True,
            ),
            Arg(
                "level",
                ArgKind.CHOICE,
                "your experience: mid (4-6 years) or senior (6-10)",
                choices=("mid", "senior"),
                keyword=True,
            ),
            Arg(
                "tz",
                ArgKind.TIMEZONE,
                "your timezone, e.g. Europe/Berlin",
                keyword=True,
                max_length=column_length(Member.timezone),
                shown="<Area/City>",
            ),
            Arg(
                "months",
                ArgKind.INT,
                "plan length in months instead of a track (18 or 24)",
                keyword=True,
                minimum=1,
                maximum=120,
            ),
        ),
    ),
    CommandSpec(
        name="leave",
        summary="Leave your cohort; your history is kept until you forget it",
        example="/pivot leave",
        handler=leave,
    ),
)
