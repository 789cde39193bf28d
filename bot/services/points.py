"""Keep the points ledger and the standings equal to what the events say.

After any event that can change a member's points (a check-in, a milestone marked or taken
back, a gate passed, a track or timezone change) the command calls :func:`sync_member_points`,
which re-derives that member's awards and writes only the difference. :func:`recompute_points`
does the same for a whole cohort from scratch; a test proves the two always agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.content.schema import Roadmap
from bot.db.models import (
    Checkin,
    Cohort,
    Member,
    MilestoneProgress,
    Pause,
    PointAward,
    QuizAttempt,
    Standing,
)
from bot.db.upsert import upsert
from bot.domain.pace import MilestoneTarget, accounted_for, plan_marks
from bot.domain.plan import span_windows
from bot.domain.points import (
    Award,
    CheckinFact,
    GateFact,
    MilestoneFact,
    derive_awards,
    early_unbacked,
)
from bot.domain.streaks import phase_start_weeks
from bot.domain.weeks import IsoWeek, at_local_time, week_of
from bot.services.snapshot import (
    PauseSpan,
    member_roadmap_track,
    member_spans,
    member_windows,
    milestone_targets,
    required_targets,
    skipped_weeks,
)

_AWARD_FIELDS = ("kind", "points", "phase", "week", "earned_at")
_INSERT_CHUNK = 5000


@dataclass
class MemberEvents:
    """Everything that earns points, for one member, as loaded from the database."""

    checkins: list[CheckinFact] = field(default_factory=list)
    milestones: list[tuple[str, datetime, str | None]] = field(default_factory=list)
    pauses: list[PauseSpan] = field(default_factory=list)
    passes: list[tuple[int, datetime]] = field(default_factory=list)  # phase, finished at
    advanced_at: list[datetime] = field(default_factory=list)


@dataclass(frozen=True)
class RecomputeResult:
    members: int
    awards_before: int
    awards_after: int
    points_after: int


class _Plans:
    """Target dates per (roadmap, track, start): a cohort shares a handful of plans."""

    def __init__(self) -> None:
        self._cache: dict[tuple[object, ...], tuple[MilestoneTarget, ...]] = {}
        self._due: dict[tuple[object, ...], dict[str, date]] = {}
        self._phases: dict[str, dict[str, int]] = {}

    def phase_of(self, roadmap: Roadmap) -> dict[str, int]:
        """Each milestone key's phase in ``roadmap``."""
        if roadmap.key not in self._phases:
            self._phases[roadmap.key] = {
                m.key: p.number for p in roadmap.phases for m in p.milestones
            }
        return self._phases[roadmap.key]

    def targets(self, roadmap: Roadmap, member: Member) -> tuple[MilestoneTarget, ...]:
        spans = member_spans(member, member_roadmap_track(member, roadmap))
        key = (roadmap.key, spans, member.plan_start)
        if key not in self._cache:
            windows = span_windows(member.plan_start, spans)
            self._cache[key] = required_targets(roadmap, windows, member.plan_start)
        return self._cache[key]

    def due_on(self, roadmap: Roadmap, member: Member) -> dict[str, date]:
        """Each milestone's date on the member's plan, optional ones included."""
        spans = member_spans(member, member_roadmap_track(member, roadmap))
        key = (roadmap.key, spans, member.plan_start)
        if key not in self._due:
            windows = span_windows(member.plan_start, spans)
            targets = milestone_targets(roadmap, windows, member.plan_start, required_only=False)
            self._due[key] = {t.key: t.due_on for t in targets}
        return self._due[key]

    @staticmethod
    def plan_days(roadmap: Roadmap, member: Member) -> int:
        return (member_windows(member, roadmap)[-1].ends_on - member.plan_start).days


async def _load_events(
    session: AsyncSession, scope: ColumnElement[bool]
) -> defaultdict[int, MemberEvents]:
    """Load the events of every member matching ``scope`` in five queries."""
    events: defaultdict[int, MemberEvents] = defaultdict(MemberEvents)
    checkins = await session.execute(
        select(Checkin.member_id, Checkin.iso_week, Checkin.created_at)
        .join(Member, Member.id == Checkin.member_id)
        .where(scope)
    )
    for member_id, iso_week, created_at in checkins:
        events[member_id].checkins.append(CheckinFact(IsoWeek.parse(iso_week), created_at))
    milestones = await session.execute(
        select(
            MilestoneProgress.member_id,
            MilestoneProgress.milestone_key,
            MilestoneProgress.done_at,
            MilestoneProgress.evidence_url,
        )
        .join(Member, Member.id == MilestoneProgress.member_id)
        .where(scope)
    )
    for member_id, key, done_at, evidence in milestones:
        events[member_id].milestones.append((key, done_at, evidence))
    for pause in await session.scalars(
        select(Pause).join(Member, Member.id == Pause.member_id).where(scope)
    ):
        events[pause.member_id].pauses.append(pause)
    attempts = await session.execute(
        select(
            QuizAttempt.member_id,
            QuizAttempt.phase,
            QuizAttempt.finished_at,
            QuizAttempt.advanced_at,
        )
        .join(Member, Member.id == QuizAttempt.member_id)
        .where(scope, QuizAttempt.status == "passed")
    )
    for member_id, phase, finished_at, advanced_at in attempts:
        if finished_at is not None:  # a passed attempt is always finished
            events[member_id].passes.append((phase, finished_at))
        if advanced_at is not None:
            events[member_id].advanced_at.append(advanced_at)
    return events


def derive_member(
    member: Member,
    cohort: Cohort,
    events: MemberEvents,
    content: ContentLibrary,
    plans: _Plans,
    now: datetime,
) -> tuple[list[Award], dict[str, Any]]:
    """The awards and the standing row that a member's events imply."""
    roadmap = content.roadmap(cohort.roadmap_key)
    phase_of = plans.phase_of(roadmap)
    due_on = plans.due_on(roadmap, member)
    first_pass: dict[int, datetime] = {}
    for phase, finished_at in events.passes:
        if phase not in first_pass or finished_at < first_pass[phase]:
            first_pass[phase] = finished_at
    milestones = [
        MilestoneFact(key, phase_of.get(key, 0), done_at, evidence, _day_start(due_on, key, member))
        for key, done_at, evidence in events.milestones
    ]
    rules = content.point_rules
    awards = derive_awards(
        rules,
        checkins=events.checkins,
        milestones=milestones,
        gates=[GateFact(phase, at) for phase, at in sorted(first_pass.items())],
        paused_weeks=skipped_weeks(events.pauses, member.timezone),
        advanced_at=events.advanced_at,
        phase_starts=phase_start_weeks(events.advanced_at, member.timezone),
        week_of=lambda moment: week_of(moment, cohort.timezone),
    )
    targets = plans.targets(roadmap, member)
    done_keys = {fact.key for fact in milestones}
    unbacked = early_unbacked(rules, milestones, events.checkins, events.advanced_at)
    done = accounted_for(targets, member.phase, done_keys)
    # An unbacked mark never puts anyone ahead, not even in a phase since left behind.
    backed = accounted_for([t for t in targets if t.key not in unbacked], member.phase, done_keys)
    marks = plan_marks([t.due_on for t in targets], done, backed)
    standing = {
        "member_id": member.id,
        "points_total": sum(a.points for a in awards),
        "points_phase": sum(a.points for a in awards if a.phase == member.phase),
        "last_earned_at": max((a.earned_at for a in awards), default=None),
        "required_done": done,
        "plan_start_day": member.plan_start.toordinal(),
        "plan_days": plans.plan_days(roadmap, member),
        "done_target_day": marks.reached.toordinal() if marks.reached else None,
        "next_target_day": marks.next_due.toordinal() if marks.next_due else None,
        "last_checkin_week": str(max(c.week for c in events.checkins)) if events.checkins else None,
        "updated_at": now,
    }
    return awards, standing


def _day_start(due_on: dict[str, date], key: str, member: Member) -> datetime | None:
    """The moment the member's plan reaches a milestone: its day begins in their timezone."""
    day = due_on.get(key)
    return None if day is None else at_local_time(day, time(0), member.timezone)


async def sync_member_points(
    session: AsyncSession, member: Member, cohort: Cohort, content: ContentLibrary, now: datetime
) -> list[Award]:
    """Bring one member's ledger and standing up to date; return the awards that are new.

    On PostgreSQL a share of the cohort's row lock comes first, so this never interleaves
    with a rebuild of the whole cohort (``recompute_points``), which holds the lock whole.
    """
    await session.flush()
    await _share_cohort_lock(session, cohort)
    events = (await _load_events(session, Member.id == member.id))[member.id]
    awards, standing = derive_member(member, cohort, events, content, _Plans(), now)
    # Plain rows, not ORM objects: a two-year member has a hundred awards and usually one changes.
    existing = {
        source: tuple(values)
        for source, *values in await session.execute(
            select(PointAward.source, *(getattr(PointAward, f) for f in _AWARD_FIELDS)).where(
                PointAward.member_id == member.id
            )
        )
    }
    added = await _write_awards(session, member.id, awards, existing)
    current = await session.get(Standing, member.id)
    if current is None:
        session.add(Standing(**standing))
    else:
        for name, value in standing.items():
            setattr(current, name, value)
    await session.flush()
    return added


async def sync_points_from(
    session: AsyncSession,
    member: Member,
    cohort: Cohort,
    content: ContentLibrary,
    now: datetime,
    events: MemberEvents,
    stored: Mapping[str, tuple[Any, ...]],
) -> PointsWritten:
    """:func:`sync_member_points` for a caller that already holds the member's events and
    stored awards (by source, as ``_AWARD_FIELDS``): nothing is read, only the difference
    and the standing are written."""
    await _share_cohort_lock(session, cohort)
    awards, standing = derive_member(member, cohort, events, content, _Plans(), now)
    added = await _write_awards(session, member.id, awards, dict(stored))
    await upsert(session, Standing, standing, ("member_id",))
    return PointsWritten(awards, added, standing)


@dataclass(frozen=True)
class PointsWritten:
    awards: list[Award]  # every award the events earn, as now stored
    added: list[Award]  # those new in this write
    standing: dict[str, Any]  # the standing row as now stored


def award_values(award: Award) -> tuple[Any, ...]:
    """An award as the ledger stores it, in ``_AWARD_FIELDS`` order."""
    return tuple(getattr(award, f) for f in _AWARD_FIELDS)


async def _share_cohort_lock(session: AsyncSession, cohort: Cohort) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            select(Cohort.id)
            .where(Cohort.id == cohort.id)
            .with_for_update(read=True, key_share=True)
        )


async def _write_awards(
    session: AsyncSession,
    member_id: int,
    awards: list[Award],
    existing: dict[str, tuple[Any, ...]],
) -> list[Award]:
    """Write the difference between the awards derived and those stored; return the new."""
    added: list[Award] = []
    for award in awards:
        wanted = award_values(award)
        have = existing.pop(award.source, None)
        if have is None:
            added.append(award)
        elif have != wanted:
            await session.execute(
                update(PointAward)
                .where(PointAward.member_id == member_id, PointAward.source == award.source)
                .values(dict(zip(_AWARD_FIELDS, wanted, strict=True)))
            )
    if added:
        connection = await session.connection()  # plain rows: no ORM statement handling
        await connection.execute(insert(PointAward), [_award_dict(member_id, a) for a in added])
    if existing:
        await session.execute(
            delete(PointAward).where(
                PointAward.member_id == member_id, PointAward.source.in_(list(existing))
            )
        )
    return added


async def recompute_points(
    session: AsyncSession, cohort: Cohort, content: ContentLibrary, now: datetime
) -> RecomputeResult:
    """Rebuild the ledger and standings of every member of ``cohort`` from their events.

    The cohort's row is locked first, so two rebuilds of one cohort take turns instead of
    deleting and inserting the same rows in different orders (a deadlock on PostgreSQL), and
    a member's own update (``sync_member_points``) waits for the rebuild or it for them.
    """
    await session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    member_ids = select(Member.id).where(Member.cohort_id == cohort.id)
    before = await session.scalar(
        select(func.count()).select_from(PointAward).where(PointAward.member_id.in_(member_ids))
    )
    await session.execute(delete(PointAward).where(PointAward.member_id.in_(member_ids)))
    await session.execute(delete(Standing).where(Standing.member_id.in_(member_ids)))
    events = await _load_events(session, Member.cohort_id == cohort.id)
    members = list(await session.scalars(select(Member).where(Member.cohort_id == cohort.id)))
    plans = _Plans()
    award_rows: list[dict[str, Any]] = []
    standing_rows: list[dict[str, Any]] = []
    for member in members:
        awards, standing = derive_member(member, cohort, events[member.id], content, plans, now)
        award_rows.extend(_award_dict(member.id, a) for a in awards)
        standing_rows.append(standing)
    await _insert_chunks(session, PointAward, award_rows)
    await _insert_chunks(session, Standing, standing_rows)
    return RecomputeResult(
        members=len(members),
        awards_before=int(before or 0),
        awards_after=len(award_rows),
        points_after=sum(r["points"] for r in award_rows),
    )


async def _insert_chunks(
    session: AsyncSession, model: type[PointAward] | type[Standing], rows: Sequence[dict[str, Any]]
) -> None:
    for start in range(0, len(rows), _INSERT_CHUNK):
        await session.execute(insert(model), list(rows[start : start + _INSERT_CHUNK]))


def _award_dict(member_id: int, award: Award) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "source": award.source,
        "kind": award.kind,
        "points": award.points,
        "phase": award.phase,
        "week": award.week,
        "earned_at": award.earned_at,
    }
