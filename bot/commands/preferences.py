"""``settings``: your timezone, nudge time, leaderboard visibility and DMs."""

from __future__ import annotations

from datetime import time

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context
from bot.db.base import column_length
from bot.db.models import Member
from bot.domain.weeks import weekday_name
from bot.messages import Actions, Invocation, Reply, Section
from bot.services.gate_status import gate_status
from bot.services.plan_changes import stored, switched_spans
from bot.services.points import sync_member_points
from bot.services.snapshot import load_snapshot
from bot.views.formatting import day
from bot.views.quizzes import PLACEMENT_BUTTON


def _summary(member: Member) -> tuple[str, ...]:
    alumni = (
        (f"Alumni line: {'shown' if member.alumni_visible else 'hidden'}",)
        if member.graduated_at is not None or member.alumni_visible
        else ()
    )
    return (
        f"Track: {member.track}",
        f"Timezone: {member.timezone}",
        f"Weekly nudge: {weekday_name(member.nudge_weekday)}s at {member.nudge_time:%H:%M}",
        f"Leaderboard: {'shown by name' if member.leaderboard_visible else 'hidden'}",
        *alumni,
        f"DMs: {'on' if member.dms_enabled else 'off'}",
    )


def _reply(headline: str, member: Member) -> Reply:
    return Reply.of(Section(headline, _summary(member)))


async def show(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    return _reply("Your settings:", member)


async def set_timezone(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, cohort = ctx.joined()
    member.timezone = ctx.args.text("tz")
    await sync_member_points(ctx.session, member, cohort, ctx.content, ctx.now)
    return _reply(f"Timezone set to {member.timezone}. Weeks and nudges now follow it.", member)


async def set_nudge(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    member.nudge_weekday = ctx.args.integer("weekday")
    hour, minute = (int(p) for p in ctx.args.text("time").split(":"))
    member.nudge_time = time(hour, minute)
    return _reply(
        f"Nudges now come {weekday_name(member.nudge_weekday)}s at {member.nudge_time:%H:%M} "
        f"{member.timezone}.",
        member,
    )


async def set_leaderboard(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    member.leaderboard_visible = ctx.args.text("visibility") == "show"
    headline = (
        "You appear on leaderboards by name."
        if member.leaderboard_visible
        else "You're hidden: leaderboards never show your name."
    )
    return _reply(headline, member)


async def set_alumni(inv: Invocation, ctx: Context) -> Reply:
    """The one thing a graduate may still share with the cohort, and only if they choose."""
    del inv
    member, _cohort = ctx.joined()
    member.alumni_visible = ctx.args.text("visibility") == "show"
    if not member.alumni_visible:
        headline = "The weekly post won't list you among the cohort's alumni."
    elif member.graduated_at is None:
        headline = "Noted: once you graduate, the weekly post lists you among the cohort's alumni."
    else:
        headline = "The weekly post now lists you among the cohort's alumni, never ranked."
    if member.alumni_visible and not member.leaderboard_visible:
        headline += (
            " You're hidden from leaderboards, and that wins: "
            "`/pivot settings leaderboard show` first."
        )
    return _reply(headline, member)


async def set_track(inv: Invocation, ctx: Context) -> Reply:
    """Switch track and keep everything: phase, milestones, check-ins and points.

    The plan keeps its start date; only the phase lengths change, so pace and the gate's
    calendar window follow the new track at once.
    """
    del inv
    member, cohort = ctx.joined()
    track = ctx.roadmap.track(ctx.args.text("track"))
    if track is None:
        keys = ", ".join(t.key for t in ctx.roadmap.tracks)
        raise UsageError(
            f"This roadmap's tracks are {keys}, e.g. `/pivot settings track standard`."
        )
    if track.key == member.track:
        return _reply(f"You're already on the {track.key} track.", member)
    if member.phase_plan is not None:
        # A re-planned or extended plan keeps what its member chose, moved onto the new track.
        before = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
        member.phase_plan = stored(switched_spans(before, track))
    member.track = track.key
    await sync_member_points(ctx.session, member, cohort, ctx.content, ctx.now)
    snapshot = await load_snapshot(ctx.session, member, cohort, ctx.roadmap, ctx.now)
    lines = [
        f"Phase {snapshot.phase.number} now runs until {day(snapshot.window.ends_on)}; "
        f"you are {snapshot.pace.describe()}.",
        "Your milestones, check-ins and points are as they were.",
    ]
    status = await gate_status(ctx.session, member, snapshot, ctx.now)
    if status.state == "open" and status.kind == "placement":
        lines.append("The fast track opens with a placement quiz; pass it to start in phase 2.")
        return Reply.of(
            Section(f"You're on the {track.title} now.", tuple(lines)),
            Actions((PLACEMENT_BUTTON,)),
        )
    return Reply.of(Section(f"You're on the {track.title} now.", tuple(lines)))


async def set_dms(inv: Invocation, ctx: Context) -> Reply:
    del inv
    member, _cohort = ctx.joined()
    member.dms_enabled = ctx.args.text("state") == "on"
    headline = "DMs are on." if member.dms_enabled else "DMs are off: no nudges or invitations."
    return _reply(headline, member)


SPECS = (
    CommandSpec(
        name="settings show",
        summary="Show your settings",
        example="/pivot settings",
        handler=show,
        aliases=("settings",),
        dedupe=False,
        read_only=True,
    ),
    CommandSpec(
        name="settings tz",
        summary="Set your timezone",
        example="/pivot settings tz America/New_York",
        handler=set_timezone,
        args=(
            Arg(
                "tz",
                ArgKind.TIMEZONE,
                "an IANA timezone",
                required=True,
                max_length=column_length(Member.timezone),
                shown="<Area/City>",
            ),
        ),
    ),
    CommandSpec(
        name="settings nudge",
        summary="Choose the weekday and local time of your weekly nudge",
        example="/pivot settings nudge monday 09:00",
        handler=set_nudge,
        args=(
            Arg("weekday", ArgKind.WEEKDAY, "monday to sunday", required=True, max_length=9),
            Arg(
                "time",
                ArgKind.TIME,
                "24-hour local time",
                required=True,
                max_length=5,
                shown="<HH:MM>",
            ),
        ),
    ),
    CommandSpec(
        name="settings leaderboard",
        summary="Show or hide your name on leaderboards",
        example="/pivot settings leaderboard hide",
        handler=set_leaderboard,
        args=(
            Arg(
                "visibility",
                ArgKind.CHOICE,
                "show or hide",
                required=True,
                choices=("show", "hide"),
            ),
        ),
    ),
    CommandSpec(
        name="settings alumni",
        summary="After graduating, stay listed as an alumnus in the cohort's weekly post",
        example="/pivot settings alumni show",
        handler=set_alumni,
        args=(
            Arg(
                "visibility",
                ArgKind.CHOICE,
                "show or hide",
                required=True,
                choices=("show", "hide"),
            ),
        ),
    ),
    CommandSpec(
        name="settings track",
        summary="Switch between the standard and the fast track; your progress is kept",
        example="/pivot settings track standard",
        handler=set_track,
        args=(
            Arg(
                "track",
                ArgKind.CHOICE,
                "standard (24 months) or fast (18 months)",
                required=True,
                choices=("standard", "fast"),
            ),
        ),
    ),
    CommandSpec(
        name="settings dms",
        summary="Turn nudges and other DMs on or off",
        example="/pivot settings dms off",
        handler=set_dms,
        args=(Arg("state", ArgKind.CHOICE, "on or off", required=True, choices=("on", "off")),),
    ),
)
