"""The member's dashboard: ``/pivot status``, ``/pivot milestones`` and the App Home."""

from __future__ import annotations

from bot.messages import Actions, Block, Button, Header, ProgressBar, Reply, Section
from bot.services.gate_status import GateStatus
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


def plan_line(snapshot: Snapshot) -> str:
    if snapshot.today < snapshot.plan_start:  # joined before the cohort starts
        return (
            f"Month 1 of {snapshot.plan_months} begins on {day(snapshot.plan_start)}, with the "
            f"cohort · {snapshot.track.key} track"
        )
    month = min(snapshot.plan_month, snapshot.plan_months)
    extra = " (past the plan's end)" if snapshot.plan_month > snapshot.plan_months else ""
    return (
        f"Month {month} of {snapshot.plan_months}{extra} · {snapshot.track.key} track · "
        f"{snapshot.pace.describe()}"
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
        case "graduated":
            return "You have passed the final gate and completed the roadmap. 🎓"
    opens = day(gate.calendar_opens_on)
    return f"The {quiz} opens on {opens}, or once every required milestone is done."


def next_steps(
    snapshot: Snapshot, gate: GateStatus | None = None, timezone: str = "UTC"
) -> list[str]:
    steps: list[str] = []
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
            f"Next milestone: {upcoming.milestone.title} (due {day(upcoming.due_on)}) · "
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
