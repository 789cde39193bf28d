"""Every row about one member that a check-in or a milestone reads, in one statement.

A check-in used to ask for the same rows several times over: the points, the struggle check
and the snapshot each read check-ins, milestones and pauses for themselves. Under a burst of
check-ins each statement is time in SQLite's writer lane, so ``checkin`` and ``done`` read
the member's rows once (one ``UNION ALL`` of narrow columns), keep them current as they write,
and hand them to the points, the struggle check and the snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    SQLColumnExpression,
    String,
    bindparam,
    cast,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.base import UtcDateTime
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
from bot.domain.pace import PlanMarks
from bot.domain.points import Award, CheckinFact
from bot.domain.struggles import REPEATS, CheckinNote
from bot.domain.weeks import IsoWeek
from bot.services.points import MemberEvents, award_values, sync_points_from
from bot.services.quizzes import PASSED
from bot.services.snapshot import Mark, MemberHistory

# A point award as the ledger compares it: kind, points, phase, week, earned at.
AwardValues = tuple[Any, ...]


@dataclass
class CheckinRow:
    id: int | None  # None for one added in this transaction and not yet flushed
    week: IsoWeek
    created_at: datetime
    blockers: str | None
    confidence: int | None


@dataclass
class PauseRow:
    id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class PassRow:
    """A quiz attempt that passed, or that moved its member up a phase."""

    id: int
    phase: int
    kind: str
    status: str
    finished_at: datetime | None
    advanced_at: datetime | None


@dataclass
class MemberRows:
    member_id: int
    checkins: dict[IsoWeek, CheckinRow] = field(default_factory=dict)
    progress: dict[str, Mark] = field(default_factory=dict)
    pauses: list[PauseRow] = field(default_factory=list)
    passes: list[PassRow] = field(default_factory=list)
    awards: dict[str, AwardValues] = field(default_factory=dict)  # by source
    marks: PlanMarks | None = None  # from the standing; None before the first is written

    def events(self) -> MemberEvents:
        """What earns points, as ``bot.services.points`` derives them."""
        return MemberEvents(
            checkins=[CheckinFact(c.week, c.created_at) for c in self.checkins.values()],
            milestones=[(key, m.done_at, m.evidence_url) for key, m in self.progress.items()],
            pauses=list(self.pauses),
            passes=[
                (p.phase, p.finished_at)
                for p in self.passes
                if p.status == PASSED and p.finished_at is not None
            ],
            advanced_at=[
                p.advanced_at for p in self.passes if p.status == PASSED and p.advanced_at
            ],
        )

    def history(self) -> MemberHistory:
        """What a snapshot reads; the marks are those of the standing just written."""
        return MemberHistory(
            progress=dict(self.progress),
            weeks=frozenset(self.checkins),
            pauses=tuple(self.pauses),
            advanced=tuple(p.advanced_at for p in self.passes if p.advanced_at is not None),
            marks=self.marks,
        )

    def notes(self) -> list[CheckinNote]:
        """The last check-ins, oldest first, as the struggle check reads them."""
        latest = sorted(self.checkins.values(), key=lambda c: c.week)[-REPEATS:]
        return [CheckinNote(c.week, c.blockers, c.confidence) for c in latest]

    def active_pauses(self, now: datetime) -> list[PauseRow]:
        return [p for p in self.pauses if p.starts_at <= now < p.ends_at]

    def waiting_pass(self, phase: int) -> PassRow | None:
        """A passed gate of ``phase`` that has not moved the member up yet."""
        waiting = [
            p for p in self.passes if p.phase == phase and p.status == PASSED and not p.advanced_at
        ]
        return min(waiting, key=lambda p: p.id) if waiting else None


_Column = SQLColumnExpression[Any]


def _nothing(kind: Any) -> _Column:
    return cast(null(), kind)


async def load_member_rows(
    session: AsyncSession, member_id: int, *, awards: bool = True
) -> MemberRows:
    """The member's check-ins, milestones, pauses, passed quizzes, plan marks (from their
    standing) and, unless ``awards`` is False (a reader of the snapshot alone), point awards."""
    rows = MemberRows(member_id)
    await session.flush()  # what this transaction wrote so far is read too
    # Plain rows through the session's connection: no ORM entity is loaded, so the ORM's
    # statement handling would cost time and give nothing.
    connection = await session.connection()
    for row in await connection.execute(_QUERIES[awards], {"member_id": member_id}):
        _add(rows, *row)
    return rows


def _query(awards: bool) -> CompoundSelect[Any]:
    """The statement, built once: building it anew for every command cost more than running
    it. ``:member_id`` is bound at each execution."""
    when, text, number = UtcDateTime(), String(), Integer()
    member_id = bindparam("member_id", type_=Integer())

    def columns(
        kind: str,
        id_: _Column | None = None,
        key: _Column | None = None,
        at_1: _Column | None = None,
        at_2: _Column | None = None,
        text_1: _Column | None = None,
        text_2: _Column | None = None,
        int_1: _Column | None = None,
        int_2: _Column | None = None,
    ) -> list[_Column]:
        def given(value: _Column | None, type_: Any) -> _Column:
            return _nothing(type_) if value is None else value

        return [
            literal_column(f"'{kind}'", String()).label("kind"),
            given(id_, number).label("id"),
            given(key, text).label("key"),
            given(at_1, when).label("at_1"),
            given(at_2, when).label("at_2"),
            given(text_1, text).label("text_1"),
            given(text_2, text).label("text_2"),
            given(int_1, number).label("int_1"),
            given(int_2, number).label("int_2"),
        ]

    parts = [
        select(
            *columns(
                "checkin",
                id_=Checkin.id,
                key=Checkin.iso_week,
                at_1=Checkin.created_at,
                text_1=Checkin.blockers,
                int_1=Checkin.confidence,
            )
        ).where(Checkin.member_id == member_id),
        select(
            *columns(
                "milestone",
                key=MilestoneProgress.milestone_key,
                at_1=MilestoneProgress.done_at,
                text_1=MilestoneProgress.evidence_url,
            )
        ).where(MilestoneProgress.member_id == member_id),
        select(*columns("pause", id_=Pause.id, at_1=Pause.starts_at, at_2=Pause.ends_at)).where(
            Pause.member_id == member_id
        ),
        select(
            *columns(
                "pass",
                id_=QuizAttempt.id,
                key=QuizAttempt.kind,
                at_1=QuizAttempt.finished_at,
                at_2=QuizAttempt.advanced_at,
                text_1=QuizAttempt.status,
                int_1=QuizAttempt.phase,
            )
        ).where(
            QuizAttempt.member_id == member_id,
            or_(QuizAttempt.status == PASSED, QuizAttempt.advanced_at.is_not(None)),
        ),
        select(
            *columns(
                "standing",
                int_1=Standing.done_target_day,
                int_2=Standing.next_target_day,
            )
        ).where(Standing.member_id == member_id),
    ]
    if awards:
        parts.append(
            select(
                *columns(
                    "award",
                    key=PointAward.source,
                    at_1=PointAward.earned_at,
                    text_1=PointAward.kind,
                    text_2=PointAward.week,
                    int_1=PointAward.points,
                    int_2=PointAward.phase,
                )
            ).where(PointAward.member_id == member_id)
        )
    return union_all(*parts)


_QUERIES = {awards: _query(awards) for awards in (True, False)}


def _add(rows: MemberRows, kind: str, *values: Any) -> None:
    id_, key, at_1, at_2, text_1, text_2, int_1, int_2 = values
    if kind == "checkin":
        week = IsoWeek.parse(key)
        rows.checkins[week] = CheckinRow(id_, week, at_1, text_1, int_1)
    elif kind == "milestone":
        rows.progress[key] = Mark(at_1, text_1)
    elif kind == "pause":
        rows.pauses.append(PauseRow(id_, at_1, at_2))
    elif kind == "pass":
        rows.passes.append(PassRow(id_, int_1, key, text_1, at_1, at_2))
    elif kind == "standing":
        rows.marks = PlanMarks.of_days(int_1, int_2)
    elif kind == "award":
        rows.awards[key] = (text_1, int_1, int_2, text_2, at_1)


async def sync_points(
    session: AsyncSession,
    member: Member,
    cohort: Cohort,
    content: ContentLibrary,
    now: datetime,
    rows: MemberRows,
) -> list[Award]:
    """Bring the member's ledger and standing up to date from ``rows``, which then hold the
    awards and the plan marks just written; return the awards that are new."""
    written = await sync_points_from(
        session, member, cohort, content, now, rows.events(), rows.awards
    )
    rows.awards = {a.source: award_values(a) for a in written.awards}
    standing = written.standing
    rows.marks = PlanMarks.of_days(standing["done_target_day"], standing["next_target_day"])
    return written.added
