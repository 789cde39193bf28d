"""When a member may take their phase's gate quiz. Pure: plain values in, a plain value out.

A gate opens by the calendar in the last two weeks of the member's phase window on their own
track (and stays open once that window has passed, for members behind their plan), or earlier,
as soon as every required milestone of the phase is done. Passing it still needs every
required milestone before the member advances; see ``bot.services.advancement``.

The scheduler imports :func:`gate_open` to decide when to invite a member, so it must stay
free of I/O and agree with what ``/pivot quiz`` answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.plan import PhaseWindow

GATE_CALENDAR_WEEKS = 2
LAST_PHASE = 4  # its gate is the last: passing it completes the roadmap
GateOpener = Literal["milestones", "calendar"]


@dataclass(frozen=True)
class Gate:
    """The gate of one phase at one moment.

    ``opened_by`` is None while the gate is closed; ``calendar_opens_on`` says when the
    calendar will open it regardless of milestones; ``missing`` lists the required milestone
    keys still open (passing does not advance the member until it is empty).
    """

    phase: int
    opened_by: GateOpener | None
    calendar_opens_on: date
    missing: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.opened_by is not None


def calendar_opens_on(window: PhaseWindow) -> date:
    """The first day of the last two weeks of the phase, never before the phase starts."""
    return max(window.starts_on, window.ends_on - timedelta(weeks=GATE_CALENDAR_WEEKS))


def gate_open(window: PhaseWindow, today: date, missing_required: Sequence[str]) -> Gate:
    """The gate of ``window``'s phase on ``today`` (the member's local date).

    ``missing_required`` holds the keys of the phase's required milestones not yet done.
    Milestones win over the calendar when both would open it, because that is the reason a
    member can act on ("you finished everything").
    """
    opens_on = calendar_opens_on(window)
    opener: GateOpener | None = None
    if not missing_required:
        opener = "milestones"
    elif today >= opens_on:
        opener = "calendar"
    return Gate(window.number, opener, opens_on, tuple(missing_required))
