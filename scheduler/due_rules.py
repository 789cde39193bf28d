"""The pure rules of what a member is due: nudge or quiet note, manager prompt, gate invite.

Plain values in, a plain answer out, so each rule is tested without a database and every
replica reaches the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.content.schema import Roadmap
from bot.db.models import Member
from bot.domain.deliveries import DeliveryKind
from bot.domain.gates import gate_open
from bot.domain.weeks import IsoWeek
from bot.services.snapshot import member_roadmap_track, member_windows

QUIET_AFTER_NUDGES = 3
QUIET_NUDGE_EVERY_WEEKS = 4
GATE_INVITES = 3  # weekly, until the quiz is taken


@dataclass(frozen=True)
class Silence:
    """How a member has answered recent nudges, since their last check-in."""

    last_checkin: IsoWeek | None
    nudges_sent: int
    told_quiet_in: IsoWeek | None


def nudge_kind(silence: Silence, week: IsoWeek) -> DeliveryKind | None:
    """A nudge, the one gentle quiet note, or nothing (the four-weekly rhythm after it)."""
    if silence.told_quiet_in is not None:
        weeks = silence.told_quiet_in.weeks_until(week)
        return DeliveryKind.NUDGE if weeks > 0 and weeks % QUIET_NUDGE_EVERY_WEEKS == 0 else None
    return DeliveryKind.QUIET if silence.nudges_sent >= QUIET_AFTER_NUDGES else DeliveryKind.NUDGE


def recap_allowed(silence: Silence, weekly: DeliveryKind | None) -> bool:
    """A recap replaces an ordinary nudge; a member who has gone quiet gets the gentler
    quiet-member messages instead, with no numbers to feel behind on."""
    return silence.told_quiet_in is None and weekly is DeliveryKind.NUDGE


def manager_kind(
    month: int, window: tuple[int, int] | None, outcome: str | None, done: bool
) -> DeliveryKind | None:
    """Ask once in the window's first month (or later in it, if that was missed); ask again in
    its last month after "later". The window is months 3 and 4 on the standard track.

    Each is asked once: the planner drops one that is planned already.
    """
    if done or window is None or not window[0] <= month <= window[1]:
        return None
    if outcome is None:
        return DeliveryKind.MANAGER
    if outcome == "later" and month == window[1] > window[0]:
        return DeliveryKind.MANAGER_AGAIN
    return None


def gate_invites_due(member: Member, roadmap: Roadmap, today: date, done: set[str]) -> bool:
    """Whether the gate of the member's phase is open, so they may be invited to its quiz.

    The placement quiz is open from the start; any other gate opens by the calendar or once
    every required milestone of the phase is done.
    """
    phase = member.phase
    track = member_roadmap_track(member, roadmap)
    if track.placement_quiz and phase == 1:
        return True
    window = member_windows(member, roadmap)[phase - 1]
    missing = [m.key for m in roadmap.phase(phase).milestones if m.required and m.key not in done]
    return gate_open(window, today, missing).is_open


def gate_invite_number(invited: set[str], week: IsoWeek) -> int:
    """Which invitation to an open gate is due this week (1 to 3), or 0 for none.

    ``invited`` holds the weeks of the invitations so far: one a week, three at most.
    Invitations also stop once the member takes the quiz, which the caller checks first.
    """
    if len(invited) >= GATE_INVITES or str(week) in invited:
        return 0
    return len(invited) + 1
