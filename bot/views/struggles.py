"""Help offered back to a member who seems stuck, and the line their admins read."""

from __future__ import annotations

from bot.content.schema import Milestone
from bot.domain.struggles import REPEATS, Struggle
from bot.messages import Section
from bot.services.struggles import Stuck

QUOTED = 80  # characters of a blocker an admin's digest quotes


def _why(struggle: Struggle) -> str:
    if struggle.repeated:
        return f"“{struggle.blocker}” has been your blocker {REPEATS} check-ins running."
    return f"You put your confidence at {struggle.low_confidence} of 5 this week."


def support_section(struggle: Struggle, milestone: Milestone | None) -> Section:
    """The member's own words back, with where to look for a way through."""
    lines: list[str] = []
    if milestone is not None:
        lines.append(f"Places that help with {milestone.title}:")
        lines.extend(f"• {r.title} ({r.url}): {r.note}" for r in milestone.resources)
    lines.append(
        "Your cohort's admins see this in their private digest, so one of them may reach out."
    )
    return Section(f"{_why(struggle)} Being stuck is part of the work.", tuple(lines))


def stuck_line(stuck: Stuck) -> str:
    """For the admins' digest: who, what they wrote, and which milestone it is about."""
    struggle = stuck.struggle
    if struggle.repeated:
        quoted = (struggle.blocker or "")[:QUOTED]
        what = f"the same blocker {REPEATS} check-ins running, “{quoted}”"
    else:
        what = f"confidence {struggle.low_confidence} of 5"
    about = f" (around {stuck.milestone.title})" if stuck.milestone is not None else ""
    return f"{stuck.display_name}: {what}{about}"
