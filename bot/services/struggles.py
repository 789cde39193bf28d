"""Members who seem stuck, from their recent check-ins: offered help in their check-in reply,
and named to their cohort's admins in the private digest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Milestone, Roadmap
from bot.db.models import Checkin, Member, MilestoneProgress
from bot.domain.struggles import REPEATS, CheckinNote, Struggle, matching_milestone, struggle_in
from bot.domain.weeks import IsoWeek

RECENT_WEEKS = 2  # a struggle older than this is left out of the digest
LOOK_BACK_WEEKS = 8


@dataclass(frozen=True)
class Stuck:
    member_id: int
    display_name: str
    struggle: Struggle
    milestone: Milestone | None


async def _notes(
    session: AsyncSession, member_ids: Sequence[int], since: IsoWeek | None = None
) -> dict[int, list[CheckinNote]]:
    """Each member's last three check-ins (from ``since`` on, when given), oldest first."""
    notes: dict[int, list[CheckinNote]] = defaultdict(list)
    query = select(Checkin.member_id, Checkin.iso_week, Checkin.blockers, Checkin.confidence)
    query = query.where(Checkin.member_id.in_(list(member_ids)))
    if since is not None:
        query = query.where(Checkin.iso_week >= str(since))
    rows = await session.execute(query.order_by(Checkin.member_id, Checkin.iso_week))
    for member_id, week, blockers, confidence in rows:
        notes[member_id].append(CheckinNote(IsoWeek.parse(week), blockers, confidence))
    return {member_id: found[-REPEATS:] for member_id, found in notes.items()}


async def _matching(
    session: AsyncSession, member: Member, roadmap: Roadmap, struggle: Struggle
) -> Milestone | None:
    """The milestone the struggle is about: by its words, or else the member's focus."""
    done = set(
        await session.scalars(
            select(MilestoneProgress.milestone_key).where(MilestoneProgress.member_id == member.id)
        )
    )
    return _milestone_for(member, roadmap, struggle, done)


def _milestone_for(
    member: Member, roadmap: Roadmap, struggle: Struggle, done: Collection[str]
) -> Milestone | None:
    current = roadmap.phase(member.phase)
    others = [m for p in roadmap.phases if p.number != current.number for m in p.milestones]
    focus = next((m for m in current.milestones if m.required and m.key not in done), None)
    return matching_milestone(struggle.blocker or "", [*current.milestones, *others], focus)


async def member_struggle(
    session: AsyncSession, member: Member, roadmap: Roadmap
) -> tuple[Struggle, Milestone | None] | None:
    """What the member's latest check-in shows, with the milestone whose resources may help."""
    struggle = struggle_in((await _notes(session, [member.id])).get(member.id, []))
    if struggle is None:
        return None
    return struggle, await _matching(session, member, roadmap, struggle)


def struggle_of(
    member: Member, roadmap: Roadmap, notes: list[CheckinNote], done: Collection[str]
) -> tuple[Struggle, Milestone | None] | None:
    """:func:`member_struggle` from the member's latest check-ins and the keys of the
    milestones they have done, for a caller that holds them already."""
    struggle = struggle_in(notes[-REPEATS:])
    if struggle is None:
        return None
    return struggle, _milestone_for(member, roadmap, struggle, done)


async def stuck_members(
    session: AsyncSession, members: Sequence[Member], roadmap: Roadmap, week: IsoWeek
) -> list[Stuck]:
    """Members whose check-in of ``week`` or the weeks just before it shows a struggle; the
    three check-ins that repeat a blocker are looked for in the last ``LOOK_BACK_WEEKS``."""
    since = IsoWeek.from_index(week.index - LOOK_BACK_WEEKS)
    notes = await _notes(session, [m.id for m in members], since)
    found: list[Stuck] = []
    for member in members:
        struggle = struggle_in(notes.get(member.id, []))
        if struggle is None or struggle.week.weeks_until(week) > RECENT_WEEKS:
            continue
        milestone = await _matching(session, member, roadmap, struggle)
        found.append(Stuck(member.id, member.display_name, struggle, milestone))
    return found
