"""The cohort admins' weekly digest: what changed since the last one.

A member is quiet once the gentle note after three unanswered nudges went out and no check-in
came since; unreachable while DMs to them fail. Each digest compares that with what the last
one said (kept in ``digest_notes``), so it names who is newly quiet, who is back and who
became unreachable, and lists the quiet members nobody has followed up yet. An admin who
follows someone up takes that name out of the digest for four weeks; coming back is always
reported.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Checkin, Cohort, Delivery, DigestNote, Member
from bot.db.upsert import insert_ignore
from bot.domain.deliveries import DeliveryKind, DeliveryStatus

FOLLOW_UP_WEEKS = 4


@dataclass(frozen=True)
class Named:
    """A member as the digest names them; ``detail`` says why DMs fail, for the unreachable."""

    member_id: int
    user_id: str
    display_name: str
    detail: str = ""


@dataclass(frozen=True)
class DigestChanges:
    newly_quiet: tuple[Named, ...]
    back: tuple[Named, ...]  # quiet at the last digest, checking in again since
    newly_unreachable: tuple[Named, ...]
    still_quiet: tuple[Named, ...]  # quiet at the last digest too, and not followed up

    @property
    def empty(self) -> bool:
        return not (self.newly_quiet or self.back or self.newly_unreachable or self.still_quiet)

    @property
    def to_follow_up(self) -> tuple[Named, ...]:
        return self.newly_quiet + self.still_quiet

    def member_ids(self) -> dict[str, list[int]]:
        """Who the digest is about, by role, without their names: a digest is planned with
        these and names people only as it is sent (see ``named_now``)."""
        return {role: [n.member_id for n in getattr(self, role)] for role in _ROLES}


_ROLES = ("newly_quiet", "back", "newly_unreachable", "still_quiet")
STUCK = "stuck"  # the members who seem stuck by their own check-ins, beside the changes


def _on_plan(cohort: Cohort) -> tuple[ColumnElement[bool], ...]:
    """The cohort's members whom the digest may name: still in it, and not yet graduated."""
    return (Member.cohort_id == cohort.id, Member.left_at.is_(None), Member.graduated_at.is_(None))


async def active_members(
    session: AsyncSession, cohort: Cohort, ids: Collection[int] | None = None
) -> list[Member]:
    """The cohort's members on their plan (only these ids, when given), in name order."""
    query = select(Member).where(*_on_plan(cohort))
    if ids is not None:
        query = query.where(Member.id.in_(list(ids)))
    return list(await session.scalars(query.order_by(func.lower(Member.display_name), Member.id)))


async def named_now(
    session: AsyncSession, cohort: Cohort, member_ids: dict[str, list[int]]
) -> tuple[DigestChanges, list[Member]]:
    """The planned digest with each member as they are now, and the members it found stuck:
    whoever left the cohort or deleted their data since it was planned is no longer named."""
    wanted = {i for ids in member_ids.values() for i in ids}
    found = {m.id: m for m in await active_members(session, cohort, wanted)}
    named = {i: Named(i, m.user_id, m.display_name, m.dm_problem or "") for i, m in found.items()}
    changes = DigestChanges(
        *(tuple(named[i] for i in member_ids.get(role, []) if i in named) for role in _ROLES)
    )
    return changes, [found[i] for i in member_ids.get(STUCK, []) if i in found]


@dataclass(frozen=True)
class _State:
    """One member as they are now, beside what the last digest noted about them."""

    member_id: int
    named: Named
    quiet: bool
    unreachable: bool
    note: DigestNote | None
    muted: bool

    @property
    def was_quiet(self) -> bool:
        return self.note is not None and self.note.quiet

    @property
    def was_unreachable(self) -> bool:
        return self.note is not None and self.note.unreachable


async def digest_changes(session: AsyncSession, cohort: Cohort, at: datetime) -> DigestChanges:
    """What changed since the cohort's last digest, for the digest due ``at`` (its slot, so a
    follow-up mutes the same weekly digests however late the planner runs). The notes are
    brought up to date in the same transaction, so the next digest starts from this one."""
    states, notes = await _states(session, cohort, at)

    def named(test: Callable[[_State], bool]) -> tuple[Named, ...]:
        return tuple(s.named for s in states if test(s))

    changes = DigestChanges(
        newly_quiet=named(lambda s: s.quiet and not s.was_quiet and not s.muted),
        back=named(lambda s: s.was_quiet and not s.quiet),
        newly_unreachable=named(lambda s: s.unreachable and not s.was_unreachable and not s.muted),
        still_quiet=named(lambda s: s.quiet and s.was_quiet and not s.muted),
    )
    await _remember(session, cohort, states, notes, at)
    return changes


async def follow_up(
    session: AsyncSession, cohort_id: int, member_id: int, now: datetime
) -> datetime:
    """An admin followed this member up: leave them out of the digest until the day returned."""
    until = now + timedelta(weeks=FOLLOW_UP_WEEKS)
    row = {"cohort_id": cohort_id, "member_id": member_id, "quiet": False, "unreachable": False}
    await insert_ignore(session, DigestNote, [row], ("cohort_id", "member_id"))
    await session.execute(
        update(DigestNote)
        .where(DigestNote.cohort_id == cohort_id, DigestNote.member_id == member_id)
        .values(followed_up_until=until)
    )
    return until


async def _states(
    session: AsyncSession, cohort: Cohort, now: datetime
) -> tuple[list[_State], dict[int, DigestNote]]:
    """Every active member who is quiet, unreachable or noted, in name order; and every note
    of the cohort, by member."""
    in_cohort = select(Member.id).where(*_on_plan(cohort))
    last = (
        select(Checkin.member_id, func.max(Checkin.iso_week).label("week"))
        .where(Checkin.member_id.in_(in_cohort))
        .group_by(Checkin.member_id)
        .subquery()
    )
    quiet = (
        select(Delivery.member_id)
        .outerjoin(last, last.c.member_id == Delivery.member_id)
        .where(
            Delivery.member_id.in_(in_cohort),
            Delivery.kind == DeliveryKind.QUIET,
            Delivery.status == DeliveryStatus.SENT,
            or_(last.c.week.is_(None), Delivery.period > last.c.week),
        )
    )
    quiet_ids = set(await session.scalars(quiet.distinct()))
    notes = {
        note.member_id: note
        for note in await session.scalars(
            select(DigestNote).where(DigestNote.cohort_id == cohort.id)
        )
    }
    noted = select(DigestNote.member_id).where(DigestNote.cohort_id == cohort.id)
    members = await session.scalars(
        select(Member)
        .where(
            Member.id.in_(in_cohort),
            or_(Member.dm_problem.is_not(None), Member.id.in_(quiet), Member.id.in_(noted)),
        )
        .order_by(func.lower(Member.display_name), Member.id)
    )
    states = []
    for member in members:
        note = notes.get(member.id)
        until = note.followed_up_until if note is not None else None
        states.append(
            _State(
                member.id,
                Named(member.id, member.user_id, member.display_name, member.dm_problem or ""),
                quiet=member.id in quiet_ids,
                unreachable=member.dm_problem is not None,
                note=note,
                muted=until is not None and until > now,
            )
        )
    return states, notes


async def _remember(
    session: AsyncSession,
    cohort: Cohort,
    states: list[_State],
    notes: dict[int, DigestNote],
    now: datetime,
) -> None:
    """Note what this digest saw; drop the notes of members who left or have nothing to note.

    The planner asks every minute until a digest goes out, so a week without news writes
    nothing."""
    new = []
    for state in states:
        if state.note is not None:
            state.note.quiet, state.note.unreachable = state.quiet, state.unreachable
        elif state.quiet or state.unreachable:
            new.append(
                {
                    "cohort_id": cohort.id,
                    "member_id": state.member_id,
                    "quiet": state.quiet,
                    "unreachable": state.unreachable,
                }
            )
    await insert_ignore(session, DigestNote, new, ("cohort_id", "member_id"))
    kept = {s.member_id for s in states if s.quiet or s.unreachable or s.muted}
    stale = [
        member_id
        for member_id, note in notes.items()
        if member_id not in kept
        and (note.followed_up_until is None or note.followed_up_until <= now)
    ]
    if stale:
        await session.execute(
            delete(DigestNote).where(
                DigestNote.cohort_id == cohort.id, DigestNote.member_id.in_(stale)
            )
        )
