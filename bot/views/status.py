"""The member's dashboard: ``/pivot status``, ``/pivot milestones`` and the App Home."""

from __future__ import annotations

from datetime import date

from bot.domain.replanning import MAX_EXTENSION_MONTHS
from bot.messages import Actions, Block, Button, Header, ProgressBar, Reply, Section
from bot.services.gate_status import GateStatus
from bot.services.plan_changes import fewest_extra_months, longer_track
from bot.services.snapshot import MilestoneState, Snapshot
from bot.views.formatting import day, local_moment, plural

CHECKIN_BUTTON = Button("Check in", "checkin", style="primary")
LAST_WEEK_BUTTON = Button("Check in for last week", "checkin", (("week", "last"),), "primary")
LAST_WEEK_STEP = (
    "Last week has no check-in yet; until Wednesday it still counts: "
    "`/pivot checkin last 5h what you did | blockers`"
)
MILESTONES_BUTTON = Button("Milestones", "milestones")
STATUS_BUTTON = Button("Status", "status")


def phase_line(snapshot: Snapshot) -> str:
    return f"Phase {snapshot.phase.number} of 4 · {snapshot.phase.title}"


def month_text(snapshot: Snapshot) -> str:
    """The plan's month, said the same way in every reply and message."""
    text = f"Month {snapshot.shown_month} of {snapshot.plan_months}"
    return f"{text} (past the plan's end)" if snapshot.past_plan_end else text


def plan_line(snapshot: Snapshot) -> str:
    if snapshot.graduated_on is not None:
        return f"Graduated on {day(snapshot.graduated_on)} · {snapshot.track.key} track"
    if snapshot.today < snapshot.plan_start:  # joined before the cohort starts
        return (
            f"Month 1 of {snapshot.plan_months} begins on {day(snapshot.plan_start)}, with the "
            f"cohort · {snapshot.track.key} track"
        )
    return f"{month_text(snapshot)} · {snapshot.track.key} track · {snapshot.pace.describe()}"


def due_text(state: MilestoneState, today: date) -> str:
    when = day(state.due_on)
    return f"due {when}" if state.due_on >= today else f"overdue since {when}"


def plan_end_offer(snapshot: Snapshot) -> str | None:
    """For a member past the plan's end: more months, or a longer track."""
    if not snapshot.past_plan_end:
        return None
    months = fewest_extra_months(snapshot)
    more = (
        f"`/pivot extend {months}` ({plural(months, 'month')} is the least the work ahead "
        "needs; more is fine)"
        if months <= MAX_EXTENSION_MONTHS
        else "`/pivot replan`, a fresh plan from today"
    )
    switch = longer_track(snapshot)
    other = f", or switch with `/pivot settings track {switch.key}`" if switch is not None else ""
    return (
        f"Your plan's {snapshot.plan_months} months are over, and the roadmap isn't. "
        f"Give it more time with {more}{other}."
    )


def streak_line(snapshot: Snapshot) -> str:
    week = "checked in this week" if snapshot.checked_in_this_week else "not checked in this week"
    return f"Streak: {plural(snapshot.streak, 'week')} · {week}"


def freeze_line(snapshot: Snapshot) -> str:
    """The streak freeze: one missed week per phase that does not break the streak."""
    if snapshot.streak_freeze_ready:
        return "Streak freeze: ready, so one missed week in this phase won't break your streak."
    # Not ready means this phase's freeze covered a week, so there is one to name.
    spent = f"Streak freeze: used for {snapshot.frozen_weeks[-1]}"
    if snapshot.phase.number < len(snapshot.windows):
        return f"{spent}; phase {snapshot.phase.number + 1} brings a new one."
    return f"{spent}, the last of the plan."


def gate_step(snapshot: Snapshot, status: GateStatus | None, timezone: str) -> str | None:
    """One line on the current gate; from the calendar alone when ``status`` is not known."""
    gate = snapshot.gate
    quiz = f"phase-{gate.phase} gate quiz"
    if gate.opened_by == "milestones":
        opened = (
            f"Every required milestone of phase {gate.phase} is done: "
            "the phase-gate quiz comes next. `/pivot quiz`"
        )
    else:
        opened = f"The {quiz} is open: `/pivot quiz`"
    if status is None:
        return opened if gate.is_open else None
    match status.state:
        case "in progress":
            return f"Your {quiz} is waiting where you left it: `/pivot quiz`"
        case "open" if status.kind == "placement":
            return "Your placement quiz is waiting: pass it to start in phase 2. `/pivot quiz`"
        case "open":
            return opened
        case "passed":
            return f"You passed the phase-{gate.phase} gate: finish its milestones to move on."
        case "cooldown" if status.retry_at is not None:
            return f"You can retake the {quiz} from {local_moment(status.retry_at, timezone)}."
    opens = day(gate.calendar_opens_on)
    return f"The {quiz} opens on {opens}, or once every required milestone is done."


def next_steps(
    snapshot: Snapshot, gate: GateStatus | None = None, timezone: str = "UTC"
) -> list[str]:
    if snapshot.graduated_on is not None:  # the plan is over: what is left is their choice
        return list(ALUMNI_STEPS)
    steps: list[str] = []
    offer = plan_end_offer(snapshot)
    if offer is not None:
        steps.append(offer)
    if snapshot.paused_until is not None:
        steps.append(
            f"You're paused until {day(snapshot.paused_until)}. `/pivot resume` when you're back."
        )
    months = snapshot.manager_months
    if snapshot.manager_conversation_due and months is not None:
        when = f"month {months[0]}" if months[0] == months[1] else f"month {months[0]}–{months[1]}"
        steps.append(
            f"Talk to your manager: {when} is the time. Ask for time on production "
            "systems, a stretch project or a rotation into a neighbouring team, then "
            "`/pivot done manager-conversation`."
        )
    upcoming = snapshot.next_milestone
    if upcoming is not None:
        steps.append(
            f"Next milestone: {upcoming.milestone.title} ({due_text(upcoming, snapshot.today)}) · "
            f"`/pivot done {upcoming.milestone.key} <link>`"
        )
    gate_line = gate_step(snapshot, gate, timezone)
    if gate_line is not None:
        steps.append(gate_line)
    if snapshot.last_week_missing:
        steps.append(LAST_WEEK_STEP)
    elif not snapshot.checked_in_this_week and snapshot.paused_until is None:
        steps.append("Check in for this week: `/pivot checkin 5h what you did | blockers`")
    return steps


ALUMNI_STEPS = (
    "You have passed the final gate and completed the roadmap. 🎓",
    "No more nudges or gates. Your history stays: `/pivot export` saves all of it.",
    "`/pivot settings alumni show|hide` puts you on the weekly post's line of alumni, or "
    "takes you off it; alumni are never ranked.",
)


def status_blocks(
    snapshot: Snapshot, gate: GateStatus | None = None, timezone: str = "UTC"
) -> tuple[Block, ...]:
    phase_states = snapshot.phase_milestones
    done = sum(1 for m in phase_states if m.done)
    return (
        Header(phase_line(snapshot)),
        Section(plan_line(snapshot)),
        ProgressBar(done, len(phase_states), f"Phase {snapshot.phase.number} milestones"),
        Section(streak_line(snapshot), (freeze_line(snapshot),)),
        Section("Next:", tuple(f"• {step}" for step in next_steps(snapshot, gate, timezone))),
        Actions((checkin_button(snapshot), MILESTONES_BUTTON)),
    )


def checkin_button(snapshot: Snapshot) -> Button:
    """The week a check-in is most wanted for: last week while it is open and missing."""
    return LAST_WEEK_BUTTON if snapshot.last_week_missing else CHECKIN_BUTTON


def status_reply(
    snapshot: Snapshot, gate: GateStatus | None = None, timezone: str = "UTC"
) -> Reply:
    return Reply.of(*status_blocks(snapshot, gate, timezone))


def milestone_line(state: MilestoneState) -> str:
    mark = "✓" if state.done else "·"
    optional = "" if state.milestone.required else " (optional)"
    if state.done and state.done_at is not None:
        when = f"done {day(state.done_at)}"
        if state.evidence_url:
            when += f" · {state.evidence_url}"
    else:
        when = f"due {day(state.due_on)}"
    return f"{mark} {state.milestone.key}: {state.milestone.title}{optional} — {when}"


def milestones_reply(snapshot: Snapshot) -> Reply:
    states = snapshot.phase_milestones
    done = sum(1 for m in states if m.done)
    return Reply.of(
        Header(f"{phase_line(snapshot)} — milestones"),
        ProgressBar(done, len(states), "Done"),
        Section("", tuple(milestone_line(s) for s in states)),
        Section(
            "Mark one done with `/pivot done <key> <evidence link>`; take it back with "
            "`/pivot undo <key>`; `/pivot milestones <key>` shows one in full."
        ),
        Actions((STATUS_BUTTON,)),
    )
