"""The four leaderboards, each one indexed query over the ledger and the standings.

Every board ranks only members with something to show on it (points in the period, or being
on or ahead of their own plan), so nobody is ever listed for what they did not do. Ties
break by the order in ``TIE_BREAKS``, ending with the member id, so two runs always agree;
``/pivot leaderboard rules`` shows the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Cohort, Member, PointAward, Standing
from bot.domain.weeks import IsoWeek, local_date

Board = Literal["week", "phase", "all", "pace"]
Query = Select[*tuple[Any, ...]]
BOARDS: tuple[Board, ...] = ("week", "phase", "all", "pace")
TOP = 10
BEHIND_DAYS = 7  # a week past the next target is "behind", as in /pivot status
PER_MILLE = 1000

TIE_BREAKS: dict[Board, tuple[str, ...]] = {
    "week": ("more points this week", "reached that total earlier in the week", "joined first"),
    "phase": ("more points in this phase", "reached that total earlier", "joined first"),
    "all": ("more points", "reached that total earlier", "joined first"),
    "pace": (
        "further ahead of your own plan (share of plan done minus share of time gone)",
        "more required milestones done",
        "joined first",
    ),
}


@dataclass(frozen=True)
class BoardRow:
    position: int
    member_id: int
    display_name: str
    visible: bool
    score: int  # points, or for pace: per mille of the plan ahead of the calendar
    done_per_mille: int = 0
    elapsed_per_mille: int = 0


@dataclass(frozen=True)
class Standings:
    board: Board
    cohort: Cohort
    week: IsoWeek
    phase: int | None
    top: tuple[BoardRow, ...]
    listed: int  # members on the board
    you: BoardRow | None  # the viewer's own row, when they are on it


def _elapsed_days(today: int) -> ColumnElement[int]:
    since = literal(today) - Standing.plan_start_day
    return case(
        (since < 0, 0),
        (since > Standing.plan_days, Standing.plan_days),
        else_=since,
    )


def _base(cohort: Cohort) -> Query:
    """The members a board may list: in the cohort, and still on their plan (a graduate has
    left every board; the weekly post may name them as alumni instead, if they choose)."""
    return select(Member.id, Member.display_name, Member.leaderboard_visible).where(
        Member.cohort_id == cohort.id, Member.left_at.is_(None), Member.graduated_at.is_(None)
    )


def _week_query(cohort: Cohort, week: IsoWeek) -> tuple[Query, list[Any]]:
    points = (
        select(
            PointAward.member_id,
            func.sum(PointAward.points).label("score"),
            func.max(PointAward.earned_at).label("reached"),
        )
        .join(Member, Member.id == PointAward.member_id)
        .where(PointAward.week == str(week), Member.cohort_id == cohort.id)
        .group_by(PointAward.member_id)
        .subquery()
    )
    query = (
        _base(cohort)
        .add_columns(points.c.score, literal(0).label("done"), literal(0).label("elapsed"))
        .join(points, points.c.member_id == Member.id)
        .where(points.c.score > 0)
    )
    return query, [points.c.score.desc(), points.c.reached.asc(), Member.id.asc()]


def _points_query(cohort: Cohort, phase: int | None) -> tuple[Query, list[Any]]:
    score = Standing.points_total if phase is None else Standing.points_phase
    query = (
        _base(cohort)
        .add_columns(score.label("score"), literal(0).label("done"), literal(0).label("elapsed"))
        .join(Standing, Standing.member_id == Member.id)
        .where(score > 0)
    )
    if phase is not None:
        query = query.where(Member.phase == phase)
    return query, [score.desc(), Standing.last_earned_at.asc(), Member.id.asc()]


def _pace_query(cohort: Cohort, today: date) -> tuple[Query, list[Any]]:
    day = today.toordinal()
    done = (Standing.done_target_day - Standing.plan_start_day) * PER_MILLE // Standing.plan_days
    elapsed = _elapsed_days(day) * PER_MILLE // Standing.plan_days
    ahead = (
        (Standing.done_target_day - Standing.plan_start_day - _elapsed_days(day)) * PER_MILLE
    ) // Standing.plan_days
    query = (
        _base(cohort)
        .add_columns(ahead.label("score"), done.label("done"), elapsed.label("elapsed"))
        .join(Standing, Standing.member_id == Member.id)
        .where(
            Standing.required_done > 0,
            Standing.plan_days > 0,
            or_(
                Standing.next_target_day.is_(None),
                literal(day) - Standing.next_target_day < BEHIND_DAYS,
            ),
        )
    )
    return query, [ahead.desc(), Standing.required_done.desc(), Member.id.asc()]


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
    today = local_date(now, cohort.timezone)
    week = week or IsoWeek.of(today)
    if board == "phase":
        phase = phase or (viewer.phase if viewer is not None else 1)
    match board:
        case "week":
            query, order = _week_query(cohort, week)
        case "phase" | "all":
            query, order = _points_query(cohort, phase if board == "phase" else None)
        case "pace":
            query, order = _pace_query(cohort, today)
    ranked = query.add_columns(
        func.row_number().over(order_by=order).label("position"),
        func.count().over().label("listed"),
    ).subquery()
    wanted = ranked.c.position <= top
    if viewer is not None:
        wanted = or_(wanted, ranked.c.id == viewer.id)
    result = await session.execute(select(ranked).where(wanted).order_by(ranked.c.position))
    rows = [
        (
            BoardRow(
                position=int(r.position),
                member_id=int(r.id),
                display_name=str(r.display_name),
                visible=bool(r.leaderboard_visible),
                score=int(r.score),
                done_per_mille=int(r.done),
                elapsed_per_mille=int(r.elapsed),
            ),
            int(r.listed),
        )
        for r in result
    ]
    listed = rows[0][1] if rows else 0
    board_rows = [row for row, _ in rows]
    you = next((r for r in board_rows if viewer is not None and r.member_id == viewer.id), None)
    return Standings(
        board=board,
        cohort=cohort,
        week=week,
        phase=phase if board == "phase" else None,
        top=tuple(r for r in board_rows if r.position <= top),
        listed=listed,
        you=you,
    )
