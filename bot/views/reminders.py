"""The messages the scheduler sends: nudges, the quiet-member note, the manager prompt and the
admins' notes. They are views like any other, so every platform renders them the same way."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.domain.checkin_window import closes_on
from bot.domain.weeks import IsoWeek
from bot.messages import Actions, Block, Button, Header, Reply, Section
from bot.services.admin_digest import FOLLOW_UP_WEEKS, DigestChanges, Named
from bot.services.plan_changes import longer_track, may_replan
from bot.services.snapshot import Snapshot
from bot.views.formatting import day, plural
from bot.views.nudge_content import focus_line, nudge_fields
from bot.views.status import CHECKIN_BUTTON, LAST_WEEK_BUTTON, STATUS_BUTTON

PAUSE_BUTTON = Button("Pause 4 weeks", "pause", (("weeks", 4),))
REPLAN_BUTTON = Button("Re-plan from today", "replan")


def nudge_question(name: str, asks: IsoWeek, this_week: IsoWeek) -> tuple[str, str, Button]:
    """What a nudge asks, how to answer it in words, and the button that answers it, for the
    week it asks about: the one just ended (early in the week) or this one."""
    if asks < this_week:
        return (
            f"Hi {name}, how did last week ({asks}) go?",
            "Reply with `/pivot checkin last 5h what you did | blockers`; last week stays "
            f"open until Wednesday {day(closes_on(asks))}.",
            LAST_WEEK_BUTTON,
        )
    return (
        f"Hi {name}, time for your {asks} check-in",
        "Reply with `/pivot checkin 5h what you did | blockers`.",
        CHECKIN_BUTTON,
    )


def nudge_reply(
    snapshot: Snapshot, name: str, asks: IsoWeek, streak_marks: Collection[int] = ()
) -> Reply:
    question, answer, button = nudge_question(name, asks, snapshot.this_week)
    streak = (
        f"Your streak is {plural(snapshot.streak, 'week')}; a check-in keeps it going."
        if snapshot.streak
        else "Your next check-in starts a new streak."
    )
    return Reply.of(
        Header(question),
        Section(
            focus_line(snapshot),
            (
                *nudge_fields(snapshot, streak_marks),
                streak,
                answer,
            ),
        ),
        Actions((button, STATUS_BUTTON)),
    )


def quiet_reply(name: str, snapshot: Snapshot, again: bool) -> Reply:
    """For a member who has gone quiet: once after three unanswered nudges, then every four
    weeks. Kind, never nagging: no pace, no date long past, and one easy step back in."""
    if again:
        opening = f"Hi {name}, a short hello, with no pressure at all."
        rhythm = "I'll write again in four weeks, or sooner once you check in."
    else:
        opening = (
            f"Hi {name}, it has been a few quiet weeks. That happens to everyone on a long plan."
        )
        rhythm = "From now on I'll only write every four weeks until you check in."
    upcoming = snapshot.next_milestone
    focus = (
        f"When you're back, {upcoming.milestone.title} is where you left off."
        if upcoming is not None
        else f"When you're back, the phase-{snapshot.phase.number} gate quiz is waiting."
    )
    steps = ["One step back in, whichever suits you:"]
    buttons = [CHECKIN_BUTTON]
    if may_replan(snapshot):
        steps.append(
            "• `/pivot replan`: a fresh plan from today, with this phase's full time ahead."
        )
        buttons.append(REPLAN_BUTTON)
    other = longer_track(snapshot)
    if other is not None:
        steps.append(
            f"• `/pivot settings track {other.key}`: the {other.title}, more time for each "
            "phase; your progress comes with you."
        )
    steps.append("• `/pivot pause 4`: four weeks with no messages; your streak is kept.")
    return Reply.of(
        Section(opening, (focus, *steps, rhythm)),
        Actions((*buttons, PAUSE_BUTTON)),
    )


def manager_prompt_reply(name: str, plan_month: int, again: bool) -> Reply:
    opening = (
        f"Hi {name}, you asked me to come back to this: it's month {plan_month} of your plan."
        if again
        else f"Hi {name}, it's month {plan_month} of your plan: time to talk to your manager."
    )
    return Reply.of(
        Header("The conversation with your manager"),
        Section(
            opening,
            (
                "Many people make at least some of this switch with their current employer, "
                "and this early point in your plan is the right time to bring it up.",
                "Go in with one specific request: time on production systems, a stretch "
                "project, or a short rotation into a neighbouring team. Present it as a way to "
                "grow where you already work.",
                "If the answer is no, that too tells you a lot about your next twelve months.",
                "How did it go?",
            ),
        ),
        Actions(
            (
                Button("Supported", "manager", (("outcome", "supported"),), "primary"),
                Button("Not supported", "manager", (("outcome", "unsupported"),)),
                Button("Ask me later", "manager", (("outcome", "later"),)),
            )
        ),
    )


def gate_invite_reply(
    name: str, phase: int, title: str, questions: int, pass_percent: int, placement: bool, nth: int
) -> Reply:
    """The gate is open: an invitation with a Start button, at most three weeks running."""
    if placement:
        headline = f"Hi {name}, your placement quiz is waiting."
        why = (
            "You're on the fast track: pass it and you start in phase 2 with phase 1 behind "
            "you. If it doesn't go well, nothing is lost: the standard track is always there."
        )
    else:
        headline = f"Hi {name}, your phase {phase} gate is open: {title}."
        why = "Pass it with your required milestones done and you move on to the next phase."
    reminder = " (a reminder)" if nth > 1 else ""
    return Reply.of(
        Header(f"Phase-gate quiz{reminder}"),
        Section(
            headline,
            (
                f"{plural(questions, 'question')}, one at a time; {pass_percent}% passes.",
                why,
                "Start now, or any time with `/pivot quiz`.",
            ),
        ),
        Actions((Button("Start the quiz", "quiz start", style="primary"),)),
    )


FOLLOW_UP_BUTTONS = 5  # one row on Discord; the rest by `/pivot cohort followup @name`


def admin_digest_reply(
    cohort: str, week: str, changes: DigestChanges, stuck: Sequence[str] = ()
) -> Reply:
    """Private to admins: what changed since their last digest, who seems stuck by their own
    check-ins, and who still waits for a personal word. Never in the channel."""

    def names(people: Sequence[Named]) -> str:
        return ", ".join(
            f"{p.display_name} ({p.detail})" if p.detail else p.display_name for p in people
        )

    fields: list[str] = []
    if changes.newly_quiet:
        fields.append(f"Newly quiet for three weeks or more: {names(changes.newly_quiet)}")
    if changes.back:
        fields.append(f"Back and checking in again: {names(changes.back)}")
    if stuck:
        fields.append(f"Stuck, by their own check-ins: {'; '.join(stuck)}")
    if changes.newly_unreachable:
        fields.append(f"DMs can't reach: {names(changes.newly_unreachable)}")
    if changes.still_quiet:
        fields.append(f"Still quiet, not followed up yet: {names(changes.still_quiet)}")
    blocks: list[Block] = [
        Header(f"Cohort {cohort} · admin digest for {week}"),
        Section(
            "Only you and the other admins of this cohort see this. Since the last digest:",
            tuple(fields),
        ),
    ]
    waiting = changes.to_follow_up
    if waiting:
        blocks.append(
            Section(
                "A personal word often helps more than another reminder. Once you have reached "
                "out, press their name (or `/pivot cohort followup @name`): the digest leaves "
                f"them out for {FOLLOW_UP_WEEKS} weeks."
            )
        )
        blocks.append(
            Actions(
                tuple(
                    Button(
                        f"Followed up {p.display_name[:40]}",
                        "cohort followup",
                        (("member", f"{p.user_id}|{p.display_name}"),),
                    )
                    for p in waiting[:FOLLOW_UP_BUTTONS]
                )
            )
        )
    return Reply.of(*blocks)


def no_channel_reply(cohort: str) -> Reply:
    return Reply.of(
        Section(
            f"Cohort {cohort} has no channel, so its weekly leaderboard isn't posted.",
            (f"Set one with `/pivot cohort channel {cohort} #channel`.",),
        )
    )
