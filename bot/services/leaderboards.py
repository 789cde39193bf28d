"""The four leaderboards, each one indexed query over the ledger and the standings, whose
rows ``bot.domain.ranking`` puts in places.

Every board ranks only members with something to show on it (points in the period, or a
milestone done and being on or ahead of their own plan), so nobody is ever listed for what
they did not do, and a quiet member never shows up in the channel. Members
who keep their standing private are left out of the ranking altogether, and only counted:
in a small cohort, a numbered slot with the name blanked out still says who it is.

Places are competition ranks (``bot.domain.ranking``): members level on a board share a
place and are listed by name. An award dated after ``now`` (an early milestone's points
waiting for its plan date) counts on no board before its day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Member, PointAward, Standing
from bot.domain.pace import Pace, PlanMarks, pace_at
from bot.domain.ranking import Entry, Placed, Tally, rank
from bot.domain.weeks import IsoWeek, local_date
from bot.services.pace_query import members_today, on_or_ahead, weeks_ahead

Board = Literal["week", "phase", "all", "pace"]
Query = Select[*tuple[Any, ...]]
BOARDS: tuple[Board, ...] = ("week", "phase", "all", "pace")
TOP = 10


@dataclass(frozen=True)
class Standings:
    board: Board
    cohort: Cohort
    week: IsoWeek
    phase: int | None
    rows: tuple[Placed, ...]  # the first ``top`` ranked members, in board order
    ranked: int  # members ranked on the board
    private: int  # members who would be on it but keep their standing private
    you: Placed | None  # the viewer's place, when they are ranked on it
    top: int = TOP  # how many lines the board names


@dataclass(frozen=True)
class Progress:
    """What a member's private line leads with: their own week against the last, and plan."""

    this_week: int
    last_week: int
    pace: Pace
    visible: bool


def _base(cohort: Cohort) -> Query:
    """The members a board may list: in the cohort, and still on their plan (a graduate has
    left every board; the weekly post may name them as alumni instead, if they choose)."""
    return select(
        Member.id, Member.display_name, Member.leaderboard_visible.label("visible")
    ).where(Member.cohort_id == cohort.id, Member.left_at.is_(None), Member.graduated_at.is_(None))


def _week_query(cohort: Cohort, week: IsoWeek, now: datetime) -> Query:
    points = (
        select(PointAward.member_id, func.sum(PointAward.points).label("score"))
        .join(Member, Member.id == PointAward.member_id)
        .where(
            PointAward.week == str(week),
            PointAward.earned_at <= now,
            Member.cohort_id == cohort.id,
        )
        .group_by(PointAward.member_id)
        .subquery()
    )
    return (
        _base(cohort)
        .add_columns(points.c.score)
        .join(points, points.c.member_id == Member.id)
        .where(points.c.score > 0)
    )


def _points_query(cohort: Cohort, phase: int | None, now: datetime) -> Query:
    """All-time or phase points: the stored totals, less what is not earned until later."""
    # The awards dated after now: one short index range per member, usually empty.
    # Only asked of a member whose latest award is dated after now.
    waiting = select(func.coalesce(func.sum(PointAward.points), 0)).where(
        PointAward.member_id == Member.id, PointAward.earned_at > now
    )
    if phase is not None:
        waiting = waiting.where(PointAward.phase == phase)
    stored = Standing.points_total if phase is None else Standing.points_phase
    score = stored - case((Standing.last_earned_at > now, waiting.scalar_subquery()), else_=0)
    query = (
        _base(cohort)
        .add_columns(score.label("score"))
        .join(Standing, Standing.member_id == Member.id)
        .where(score > 0)
    )
    return query if phase is None else query.where(Member.phase == phase)


def _pace_query(cohort: Cohort, today: ColumnElement[int]) -> Query:
    return (
        _base(cohort)
        .add_columns(weeks_ahead(today).label("score"))
        .join(Standing, Standing.member_id == Member.id)
        .where(Standing.required_done > 0, on_or_ahead(today))
    )


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def standings(
    session: AsyncSession,
    cohort: Cohort,
    board: Board,
    now: datetime,
    *,
    viewer: Member | None = None,
    phase: int | None = None,
    week: IsoWeek | None = None,
    top: int = TOP,
) -> Standings:
    """One board for ``cohort`` at ``now`` (the cohort's own date and ISO week).

    ``phase`` picks the phase board's phase (the viewer's by default); ``week`` the week
    board's week (the current one by default, a past one for a catch-up post).
    """
    week = week or IsoWeek.of(local_date(now, cohort.timezone))
    if board == "phase":
        phase = phase or (viewer.phase if viewer is not None else 1)
    match board:
        case "week":
            query = _week_query(cohort, week, now)
        case "phase" | "all":
            query = _points_query(cohort, phase if board == "phase" else None, now)
        case "pace":
            query = _pace_query(cohort, await members_today(session, cohort, now))
    scored = query.subquery()
    shown, score = scored.c.visible, scored.c.score
    first: list[Entry] = [
        (int(i), str(name), int(points))
        for i, name, points in await session.execute(
            select(scored.c.id, scored.c.display_name, score)
            .where(shown)
            .order_by(score.desc())
            .limit(top)
        )
    ]
    you: Entry | None = None
    if viewer is not None:
        mine = (await session.execute(select(shown, score).where(scored.c.id == viewer.id))).first()
        if mine is not None and mine.visible:
            you = (viewer.id, viewer.display_name, int(mine.score))
    counts = [_count(shown), _count(~shown)]
    counts.append(_count(shown & (score == first[-1][2])) if first else literal(0))
    if you is not None:
        counts += [_count(shown & (score > you[2])), _count(shown & (score == you[2]))]
    ranked, private, *rest = (await session.execute(select(*counts))).one()
    ranking = rank(first, Tally(int(ranked), *(int(n) for n in rest)), you)
    return Standings(
        board=board,
        cohort=cohort,
        week=week,
        phase=phase if board == "phase" else None,
        rows=ranking.top,
        ranked=ranking.ranked,
        private=int(private),
        you=ranking.you,
        top=top,
    )


async def progress_of(
    session: AsyncSession, member: Member, cohort: Cohort, now: datetime
) -> Progress:
    """The member's points this week and last (the cohort's ISO weeks) and their pace, from
    the same stored plan dates the pace board and ``status`` read."""
    week = IsoWeek.of(local_date(now, cohort.timezone))
    points = dict(
        (
            await session.execute(
                select(PointAward.week, func.sum(PointAward.points))
                .where(
                    PointAward.member_id == member.id,
                    PointAward.week.in_((str(week), str(week.previous()))),
                    PointAward.earned_at <= now,
                )
                .group_by(PointAward.week)
            )
        ).all()
    )
    standing = await session.get(Standing, member.id)
    marks = PlanMarks.of_days(
        standing.done_target_day if standing else None,
        standing.next_target_day if standing else None,
    )
    return Progress(
        this_week=int(points.get(str(week), 0)),
        last_week=int(points.get(str(week.previous()), 0)),
        pace=pace_at(marks, local_date(now, member.timezone)),
        visible=member.leaderboard_visible,
    )
