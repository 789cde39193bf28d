"""What each member is due at one instant: the weekly nudge, the quiet-member note, the
manager prompt. Decided from the database alone, so any replica at any time agrees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import (
    Checkin,
    Cohort,
    Delivery,
    Member,
    MilestoneProgress,
    Pause,
    QuizAttempt,
)
from bot.domain.plan import plan_month
from bot.domain.weeks import IsoWeek, local_date, week_of
from bot.services.outbox import delivery_row
from bot.services.quizzes import VOID
from bot.services.snapshot import (
    MANAGER_MILESTONE,
    compute_snapshot,
    load_histories,
)
from bot.views.reminders import (
    gate_invite_reply,
    manager_prompt_reply,
    nudge_reply,
    quiet_reply,
)
from scheduler.due_rules import Silence, gate_invite_number, manager_kind, nudge_kind
from scheduler.timing import Slot, slot_in_week, week_end


@dataclass(frozen=True)
class MemberDue:
    member: Member
    cohort: Cohort
    week: IsoWeek
    slot: Slot
    kinds: tuple[str, ...]  # "nudge", "quiet", "manager", "manager-again", "gate"
    gate_invite: int = 0  # which invitation this is (1 to 3), when "gate" is in kinds


async def find_due_members(
    session: AsyncSession, now: datetime, content: ContentLibrary
) -> list[MemberDue]:
    rows = (
        await session.execute(
            select(Member, Cohort)
            .join(Cohort, Cohort.id == Member.cohort_id)
            .where(Member.left_at.is_(None), Member.dms_enabled.is_(True))
        )
    ).all()
    paused = set(
        await session.scalars(
            select(Pause.member_id).where(Pause.starts_at <= now, Pause.ends_at > now)
        )
    )
    candidates: list[tuple[Member, Cohort, IsoWeek, Slot]] = []
    for member, cohort in rows:
        if member.id in paused:
            continue
        week = week_of(now, member.timezone)
        slot = slot_in_week(week, member.nudge_weekday, member.nudge_time, member.timezone)
        if now < slot.at or slot.at < member.joined_at:
            continue
        if local_date(now, member.timezone) < member.plan_start:
            continue
        candidates.append((member, cohort, week, slot))
    if not candidates:
        return []
    ids = [m.id for m, _, _, _ in candidates]
    checked_in = await _checked_in(session, ids, {w for _, _, w, _ in candidates})
    planned = await _planned(session, ids)
    silences = await _silences(session, ids)
    done = await _done_keys(session, ids)
    attempts = await session.execute(
        select(QuizAttempt.member_id, QuizAttempt.phase).where(
            QuizAttempt.member_id.in_(ids), QuizAttempt.status != VOID
        )
    )
    attempted = {(member_id, phase) for member_id, phase in attempts}
    invited = await _gate_invites(session, ids)
    due: list[MemberDue] = []
    for member, cohort, week, slot in candidates:
        kinds: list[str] = []
        if (member.id, str(week)) not in checked_in and not planned.get(member.id, set()) & {
            f"nudge:{week}",
            f"quiet:{week}",
        }:
            kind = nudge_kind(silences.get(member.id, Silence(None, 0, None)), week)
            if kind is not None:
                kinds.append(kind)
        today = local_date(now, member.timezone)
        month = plan_month(member.plan_start, today)
        member_done = done.get(member.id, set())
        ask = manager_kind(
            month,
            member.manager_outcome,
            MANAGER_MILESTONE in member_done,
            planned.get(member.id, set()),
        )
        if ask is not None:
            kinds.append(ask)
        roadmap = content.roadmap(cohort.roadmap_key)
        invite = gate_invite_number(member, roadmap, today, week, member_done, attempted, invited)
        if invite:
            kinds.append("gate")
        if kinds:
            due.append(MemberDue(member, cohort, week, slot, tuple(kinds), invite))
    return due


async def _done_keys(session: AsyncSession, ids: list[int]) -> dict[int, set[str]]:
    done: dict[int, set[str]] = {}
    for member_id, key in await session.execute(
        select(MilestoneProgress.member_id, MilestoneProgress.milestone_key).where(
            MilestoneProgress.member_id.in_(ids)
        )
    ):
        done.setdefault(member_id, set()).add(key)
    return done


async def _gate_invites(session: AsyncSession, ids: list[int]) -> dict[tuple[int, int], set[str]]:
    """The weeks each member was invited to each phase's gate; the key holds the phase."""
    invited: dict[tuple[int, int], set[str]] = {}
    for member_id, key, period in await session.execute(
        select(Delivery.member_id, Delivery.idempotency_key, Delivery.period).where(
            Delivery.member_id.in_(ids), Delivery.kind == "gate"
        )
    ):
        if member_id is None or period is None:
            continue
        phase = int(key.split(":")[2])
        invited.setdefault((member_id, phase), set()).add(period)
    return invited


async def _checked_in(
    session: AsyncSession, ids: list[int], weeks: set[IsoWeek]
) -> set[tuple[int, str]]:
    rows = await session.execute(
        select(Checkin.member_id, Checkin.iso_week).where(
            Checkin.member_id.in_(ids), Checkin.iso_week.in_([str(w) for w in weeks])
        )
    )
    return {(member_id, week) for member_id, week in rows}


async def _planned(session: AsyncSession, ids: list[int]) -> dict[int, set[str]]:
    """Member messages already in the outbox, as "kind:period" per member."""
    rows = await session.execute(
        select(Delivery.member_id, Delivery.kind, Delivery.period).where(
            Delivery.member_id.in_(ids),
            or_(
                Delivery.kind.in_(("manager", "manager-again")),
                and_(Delivery.kind.in_(("nudge", "quiet")), Delivery.period.is_not(None)),
            ),
        )
    )
    planned: dict[int, set[str]] = {}
    for member_id, kind, period in rows:
        if member_id is None:
            continue
        label = {"manager": "manager:ask", "manager-again": "manager:again"}.get(kind)
        planned.setdefault(member_id, set()).add(label or f"{kind}:{period}")
    return planned


async def _silences(session: AsyncSession, ids: list[int]) -> dict[int, Silence]:
    """Nudges sent and quiet notes since each member's last check-in, in one query."""
    last = (
        select(Checkin.member_id, func.max(Checkin.iso_week).label("week"))
        .where(Checkin.member_id.in_(ids))
        .group_by(Checkin.member_id)
        .subquery()
    )
    rows = await session.execute(
        select(Delivery.member_id, Delivery.kind, Delivery.period, last.c.week)
        .outerjoin(last, last.c.member_id == Delivery.member_id)
        .where(
            Delivery.member_id.in_(ids),
            Delivery.kind.in_(("nudge", "quiet")),
            Delivery.status == "sent",
            or_(last.c.week.is_(None), Delivery.period > last.c.week),
        )
    )
    counts: dict[int, int] = {}
    quiet: dict[int, IsoWeek] = {}
    lasts: dict[int, IsoWeek | None] = {}
    for member_id, kind, period, last_week in rows:
        lasts[member_id] = IsoWeek.parse(last_week) if last_week else None
        if kind == "nudge":
            counts[member_id] = counts.get(member_id, 0) + 1
        else:
            quiet[member_id] = max(
                quiet.get(member_id, IsoWeek.parse(period)), IsoWeek.parse(period)
            )
    return {
        member_id: Silence(lasts.get(member_id), counts.get(member_id, 0), quiet.get(member_id))
        for member_id in set(counts) | set(quiet)
    }


async def member_delivery_rows(
    session: AsyncSession, due: list[MemberDue], now: datetime, content: ContentLibrary
) -> list[dict[str, Any]]:
    histories = await load_histories(session, [d.member.id for d in due])
    rows: list[dict[str, Any]] = []
    for item in due:
        member, cohort = item.member, item.cohort
        roadmap = content.roadmap(cohort.roadmap_key)
        snapshot = compute_snapshot(member, roadmap, now, histories[member.id])
        stale = week_end(item.week, member.timezone)
        common: dict[str, Any] = {
            "tenant_id": member.tenant_id,
            "now": now,
            "member_id": member.id,
            "user_id": member.user_id,
        }
        for kind in item.kinds:
            if kind == "nudge":
                reply = nudge_reply(snapshot, member.display_name)
                key, period = f"nudge:{member.id}:{item.week}", str(item.week)
            elif kind == "quiet":
                reply = quiet_reply(member.display_name)
                key, period = f"quiet:{member.id}:{item.week}", str(item.week)
            elif kind == "gate":
                placement = snapshot.track.placement_quiz and member.phase == 1
                reply = gate_invite_reply(
                    member.display_name,
                    member.phase,
                    snapshot.phase.title,
                    cohort.quiz_questions,
                    cohort.quiz_pass_percent,
                    placement,
                    item.gate_invite,
                )
                key = f"gate:{member.id}:{member.phase}:{item.gate_invite}"
                period = str(item.week)
            else:
                again = kind == "manager-again"
                reply = manager_prompt_reply(member.display_name, snapshot.plan_month, again)
                key = f"manager:{member.id}:{'again' if again else 'ask'}"
                period = f"month-{snapshot.plan_month}"
            rows.append(
                delivery_row(
                    kind=kind, key=key, reply=reply, stale_after=stale, period=period, **common
                )
            )
    return rows
