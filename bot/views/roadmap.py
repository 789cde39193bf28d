"""The roadmap in full: one milestone with everything it asks for, and the four phases with the
member's progress through them. Both read the member's own plan, so every date is theirs."""

from __future__ import annotations

from bot.messages import Actions, Block, Header, ProgressBar, Reply, Section
from bot.services.snapshot import MilestoneState, Snapshot
from bot.views.formatting import day
from bot.views.status import MILESTONES_BUTTON, STATUS_BUTTON, plan_line


def milestone_detail_reply(state: MilestoneState, snapshot: Snapshot) -> Reply:
    milestone = state.milestone
    phase = snapshot.roadmap.phase(state.phase)
    kind = f"Required for the phase-{phase.number} gate" if milestone.required else "Optional"
    fields = (
        f"{kind} · phase {phase.number}: {phase.title}",
        f"Evidence it wants: {milestone.evidence}",
        f"Due on your plan: {day(state.due_on)}",
        f"State: {_state(state, snapshot)}",
    )
    blocks: list[Block] = [
        Header(f"{milestone.title} ({milestone.key})"),
        Section(milestone.description, fields),
        Section(
            "Where to learn it:",
            tuple(f"• {r.title} — {r.note} {r.url}" for r in milestone.resources),
        ),
    ]
    if not state.done and state.phase <= snapshot.phase.number:
        blocks.append(Section(f"Mark it done with `/pivot done {milestone.key} <link>`."))
    blocks.append(Actions((MILESTONES_BUTTON, STATUS_BUTTON)))
    return Reply.of(*blocks)


def _state(state: MilestoneState, snapshot: Snapshot) -> str:
    if state.done_at is not None:
        evidence = f", evidence {state.evidence_url}" if state.evidence_url else ""
        return f"done on {day(state.done_at)}{evidence}"
    if state.phase < snapshot.phase.number:
        return f"not marked; phase {state.phase} is behind you, so it no longer holds you back"
    if state.phase > snapshot.phase.number:
        starts = snapshot.windows[state.phase - 1].starts_on
        return f"ahead of you: phase {state.phase} begins on your plan on {day(starts)}"
    if state.due_on < snapshot.today:
        return "open, and its date on your plan has passed"
    return "open"


def roadmap_reply(snapshot: Snapshot) -> Reply:
    """All four phases; the buttons stay last, where a link to a fuller page can join them."""
    blocks: list[Block] = [
        Header(f"Your roadmap: {snapshot.roadmap.title}"),
        Section(plan_line(snapshot)),
    ]
    first_month = 1
    for phase, months in zip(snapshot.roadmap.phases, snapshot.track.phase_months, strict=True):
        window = snapshot.windows[phase.number - 1]
        last_month = first_month + months - 1
        span = f"months {first_month}–{last_month}" if months > 1 else f"month {first_month}"
        if phase.number < snapshot.phase.number:
            where, mark = f"{span.capitalize()} · passed", "✓"
        elif phase.number == snapshot.phase.number:
            where, mark = f"{span.capitalize()} · you are here", "▶"
        else:
            where, mark = f"{span.capitalize()} · from {day(window.starts_on)}", "·"
        states = [m for m in snapshot.milestones if m.phase == phase.number]
        blocks.append(
            Section(
                f"{mark} Phase {phase.number}: {phase.title}",
                (where, f"Checkpoint: {phase.checkpoint}"),
            )
        )
        blocks.append(ProgressBar(sum(1 for m in states if m.done), len(states), "Milestones"))
        first_month = last_month + 1
    blocks.append(
        Section(
            "One milestone in full: `/pivot milestones <key>`, e.g. `/pivot milestones "
            f"{snapshot.phase_milestones[0].milestone.key}`."
        )
    )
    blocks.append(Actions((MILESTONES_BUTTON, STATUS_BUTTON)))
    return Reply.of(*blocks)
