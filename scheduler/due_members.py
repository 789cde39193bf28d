"""Who is due what at one instant: the weekly nudge or quiet note, the manager prompt, the
gate invitation. Decided from the database alone, so any replica at any time agrees; what
each message says is built in :mod:`scheduler.member_deliveries`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
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
from bot.domain.checkin_window import nudge_week
from bot.domain.deliveries import WEEKLY, DeliveryKey, DeliveryKind, DeliveryStatus
from bot.domain.plan import plan_month
from bot.domain.weeks import IsoWeek, local_date, week_of
from bot.services.deliveries import find_planned
from bot.services.quizzes import VOID
from bot.services.snapshot import MANAGER_MILESTONE, manager_months, skipped_weeks
from scheduler.due_rules import (
    GATE_INVITES,
    Silence,
    gate_invite_number,
    gate_invites_due,
    manager_kind,
    nudge_kind,
    recap_allowed,
)
from scheduler.timing import slot_in_week


@dataclass(frozen=True)
class MemberDue:
    member: Member
    cohort: Cohort
    week: IsoWeek  # the member's current ISO week, in their own timezone
    asks: IsoWeek  # the week a nudge asks about: last week early in the week, else this one
    keys: tuple[DeliveryKey, ...]  # the messages due to them, none of them planned yet
    quiet_since: IsoWeek | None = None  # when they were told the nudges would thin out


async def find_due_members(
    session: AsyncSession, now: datetime, content: ContentLibrary, window: range | None = None
) -> list[MemberDue]:
    """What is due to every member, or to those whose ids fall in ``window`` (one batch)."""
    batch = () if window is None else (Member.id >= window.start, Member.id < window.stop)
    rows = (
        await session.execute(
            select(Member, Cohort)
            .join(Cohort, Cohort.id == Member.cohort_id)
            .where(
                Member.left_at.is_(None),
                Member.dms_enabled.is_(True),
                Member.graduated_at.is_(None),  # a graduate's plan sends nothing more
                *batch,
            )
        )
    ).all()
    # Pauses now or in the last fortnight: a paused member gets nothing, and a nudge never
    # asks about a week the member had off.
    pauses: dict[int, list[Pause]] = {}
    for pause in await session.scalars(
        select(Pause).where(Pause.starts_at <= now, Pause.ends_at > now - timedelta(days=14))
    ):
        pauses.setdefault(pause.member_id, []).append(pause)
    candidates: list[tuple[Member, Cohort, IsoWeek, IsoWeek]] = []
    for member, cohort in rows:
        own = pauses.get(member.id, [])
        if any(p.ends_at > now for p in own):
            continue
        week = week_of(now, member.timezone)
        slot = slot_in_week(week, member.nudge_weekday, member.nudge_time, member.timezone)
        if now < slot.at or slot.at < member.joined_at:
            continue
        today = local_date(now, member.timezone)
        if today < member.plan_start:
            continue
        off = skipped_weeks(own, member.timezone)
        candidates.append((member, cohort, week, nudge_week(today, member.plan_start, off)))
    if not candidates:
        return []
    ids = [member.id for member, _, _, _ in candidates]
    checked_in = await _checked_in(session, ids, {asks for _, _, _, asks in candidates})
    done = await _done_keys(session, ids)
    attempts = await session.execute(
        select(QuizAttempt.member_id, QuizAttempt.phase).where(
            QuizAttempt.member_id.in_(ids), QuizAttempt.status != VOID
        )
    )
    attempted = {(member_id, phase) for member_id, phase in attempts}
    wanted: list[_Wanted] = []
    for member, cohort, week, asks in candidates:
        today = local_date(now, member.timezone)
        member_done = done.get(member.id, set())
        unmet = (member.id, str(asks)) not in checked_in
        roadmap = content.roadmap(cohort.roadmap_key)
        ask = manager_kind(
            plan_month(member.plan_start, today),
            manager_months(member, roadmap),
            member.manager_outcome,
            MANAGER_MILESTONE in member_done,
        )
        may_invite = (member.id, member.phase) not in attempted and gate_invites_due(
            member, roadmap, today, member_done
        )
        wanted.append(
            _Wanted(
                member,
                cohort,
                week,
                asks,
                weekly=_weekly_keys(member, week),
                unmet=unmet,
                recap=recap_key(member, today),
                manager=DeliveryKey(ask, member.id) if ask else None,
                gate=_gate_keys(member) if may_invite else (),
            )
        )
    planned = await find_planned(session, [key for w in wanted for key in w.all_keys()])
    silences = await _silences(session, [w.member.id for w in wanted if w.wants_weekly(planned)])
    due = [w.due(planned, silences) for w in wanted]
    return [d for d in due if d.keys]


@dataclass(frozen=True)
class _Wanted:
    """What a member is due by the rules, before asking the outbox what it holds already."""

    member: Member
    cohort: Cohort
    week: IsoWeek
    asks: IsoWeek
    weekly: tuple[DeliveryKey, ...]  # this week's nudge and quiet note (one at most)
    unmet: bool  # no check-in yet for the week a nudge asks about, so a nudge may be due
    recap: DeliveryKey | None  # the recap of last month of the plan, from month 2 on
    manager: DeliveryKey | None  # the manager prompt or its second ask
    gate: tuple[DeliveryKey, ...]  # each invitation to the open gate of the member's phase

    def all_keys(self) -> list[DeliveryKey]:
        recap = [self.recap] if self.recap else []
        return [*self.weekly, *recap, *([self.manager] if self.manager else []), *self.gate]

    def wants_weekly(self, planned: Mapping[DeliveryKey, str | None]) -> bool:
        """Whether this week's one weekly message may still be due: nothing went out this
        week yet, and there is a nudge or a recap to send."""
        sent_this_week = any(key in planned for key in self.weekly) or (
            self.recap is not None and planned.get(self.recap) == str(self.week)
        )
        recap_open = self.recap is not None and self.recap not in planned
        return not sent_this_week and (self.unmet or recap_open)

    def due(
        self, planned: Mapping[DeliveryKey, str | None], silences: Mapping[int, Silence]
    ) -> MemberDue:
        """What is due once everything planned already is taken out."""
        keys: list[DeliveryKey] = []
        silence = silences.get(self.member.id, Silence(None, 0, None))
        if self.wants_weekly(planned):
            keys.extend(self._weekly(planned, silence))
        if self.manager is not None and self.manager not in planned:
            keys.append(self.manager)
        invited = {week for key in self.gate if (week := planned.get(key)) is not None}
        invite = gate_invite_number(invited, self.week) if self.gate else 0
        if invite:
            keys.append(self.gate[invite - 1])
        return MemberDue(
            self.member, self.cohort, self.week, self.asks, tuple(keys), silence.told_quiet_in
        )

    def _weekly(
        self, planned: Mapping[DeliveryKey, str | None], silence: Silence
    ) -> list[DeliveryKey]:
        """The month's recap takes the place of a nudge (never of a quiet member's note);
        otherwise the nudge or quiet note, while the week has no check-in."""
        kind = nudge_kind(silence, self.asks)
        if self.recap is not None and self.recap not in planned and recap_allowed(silence, kind):
            return [self.recap]
        return [key for key in self.weekly if key.kind is kind] if self.unmet else []


def _weekly_keys(member: Member, week: IsoWeek) -> tuple[DeliveryKey, ...]:
    return tuple(
        DeliveryKey(kind, member.id, week=week) for kind in (DeliveryKind.NUDGE, DeliveryKind.QUIET)
    )


def recap_key(member: Member, today: date) -> DeliveryKey | None:
    """The recap of the plan month just finished; none in the plan's first month."""
    month = plan_month(member.plan_start, today) - 1
    return DeliveryKey(DeliveryKind.RECAP, member.id, month=month) if month >= 1 else None


def _gate_keys(member: Member) -> tuple[DeliveryKey, ...]:
    return tuple(
        DeliveryKey(DeliveryKind.GATE, member.id, phase=member.phase, invite=number)
        for number in range(1, GATE_INVITES + 1)
    )


async def _done_keys(session: AsyncSession, ids: list[int]) -> dict[int, set[str]]:
    done: dict[int, set[str]] = {}
    for member_id, key in await session.execute(
        select(MilestoneProgress.member_id, MilestoneProgress.milestone_key).where(
            MilestoneProgress.member_id.in_(ids)
        )
    ):
        done.setdefault(member_id, set()).add(key)
    return done


async def _checked_in(
    session: AsyncSession, ids: list[int], weeks: set[IsoWeek]
) -> set[tuple[int, str]]:
    rows = await session.execute(
        select(Checkin.member_id, Checkin.iso_week).where(
            Checkin.member_id.in_(ids), Checkin.iso_week.in_([str(w) for w in weeks])
        )
    )
    return {(member_id, week) for member_id, week in rows}


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
            Delivery.kind.in_(WEEKLY),
            Delivery.status == DeliveryStatus.SENT,
            or_(last.c.week.is_(None), Delivery.period > last.c.week),
        )
    )
    counts: dict[int, int] = {}
    quiet: dict[int, IsoWeek] = {}
    lasts: dict[int, IsoWeek | None] = {}
    for member_id, kind, period, last_week in rows:
        lasts[member_id] = IsoWeek.parse(last_week) if last_week else None
        if kind != DeliveryKind.QUIET:  # a recap asks for a check-in as a nudge does
            counts[member_id] = counts.get(member_id, 0) + 1
        else:
            quiet[member_id] = max(
                quiet.get(member_id, IsoWeek.parse(period)), IsoWeek.parse(period)
            )
    return {
        member_id: Silence(lasts.get(member_id), counts.get(member_id, 0), quiet.get(member_id))
        for member_id in set(counts) | set(quiet)
    }
