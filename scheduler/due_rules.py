"""The pure rules of what a member is due: nudge or quiet note, manager prompt, gate invite.

Plain values in, a plain answer out, so each rule is tested without a database and every
replica reaches the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.content.schema import Roadmap
from bot.db.models import Member
from bot.domain.gates import gate_open
from bot.domain.plan import phase_windows
from bot.domain.weeks import IsoWeek
from bot.services.snapshot import member_roadmap_track

QUIET_AFTER_NUDGES = 3
QUIET_NUDGE_EVERY_WEEKS = 4
GATE_INVITES = 3  # weekly, until the quiz is taken


@dataclass(frozen=True)
class Silence:
    """How a member has answered recent nudges, since their last check-in."""

    last_checkin: IsoWeek | None
    nudges_sent: int
    told_quiet_in: IsoWeek | None


def nudge_kind(silence: Silence, week: IsoWeek) -> str | None:
    """A nudge, the one gentle quiet note, or nothing (the four-weekly rhythm after it)."""
    if silence.told_quiet_in is not None:
        weeks = silence.told_quiet_in.weeks_until(week)
        return "nudge" if weeks > 0 and weeks % QUIET_NUDGE_EVERY_WEEKS == 0 else None
    return "quiet" if silence.nudges_sent >= QUIET_AFTER_NUDGES else "nudge"


def manager_kind(month: int, outcome: str | None, done: bool, planned: set[str]) -> str | None:
    """Ask once in month 3 (or 4 if month 3 was missed); ask again in month 4 after "later"."""
    if done or not 3 <= month <= 4:
        return None
    if outcome is None and "manager:ask" not in planned:
        return "manager"
    if outcome == "later" and month == 4 and "manager:again" not in planned:
        return "manager-again"
    return None


def gate_invite_number(
    member: Member,
    roadmap: Roadmap,
    today: date,
    week: IsoWeek,
    done: set[str],
    attempted: set[tuple[int, int]],
    invited: dict[tuple[int, int], set[str]],
) -> int:
    """Which gate invitation is due this week (1 to 3), or 0 for none.

    Invitations stop once the member takes the quiz (any attempt at the phase) or after three.
    """
    phase = member.phase
    sent = invited.get((member.id, phase), set())
    if (member.id, phase) in attempted or len(sent) >= GATE_INVITES or str(week) in sent:
        return 0
    track = member_roadmap_track(member, roadmap)
    if not (track.placement_quiz and phase == 1):  # the placement quiz is open from the start
        window = phase_windows(member.plan_start, track.phase_months)[phase - 1]
        missing = [
            m.key for m in roadmap.phase(phase).milestones if m.required and m.key not in done
        ]
        if not gate_open(window, today, missing).is_open:
            return 0
    return len(sent) + 1
