"""Send what the outbox holds, exactly once across replicas, and record what the platform said.

A row is claimed with a lease inside one short transaction (a conditional UPDATE on SQLite,
whose writers are serialised; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), sent outside any
transaction, and its outcome recorded in a later group commit. The claim spends from the
shared send budgets (:mod:`scheduler.send_budgets`), so only what may go now is claimed, and
a live deliverer renews its leases while it holds them.

A process that dies between sending and recording leaves its claims to expire, and those
rows are sent again: a crash never loses a message, and duplicates at most the ones it had
claimed at that moment (the sends in flight, and the recorded-but-uncommitted outcomes of one
group commit), each of them once. A process that stops on purpose finishes the sends in
flight and gives every other claim back at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock
from bot.content.loader import ContentLibrary
from bot.db.models import Delivery, Member, Tenant
from bot.domain.deliveries import WAITING, DeliveryKind, DeliveryStatus
from bot.log_context import LogContext, logging_as
from bot.messages import Address, ChatUser, Reply
from bot.ports import Clock, DeliveryResult, Outbox, RetryAfter, Sent, Undeliverable
from bot.telemetry import NoTelemetry, RateLimit, Telemetry
from scheduler.delivery_records import Outcome, OutcomeWriter
from scheduler.send_budgets import SendBudgets, Wanted
from scheduler.send_time import Stored, reply_at_send
from scheduler.timing import MAX_ATTEMPTS, retry_delay

log = logging.getLogger(__name__)

STALE_REASON = "its period passed before it could be sent"
LONGEST_PAUSE = 1.0  # seconds a deliverer waits for a spent budget before it looks again
SHORTEST_PAUSE = 0.005


def owner_name() -> str:
    """Who holds a lease: the process id makes a crashed replica's claims easy to find."""
    return f"deliverer-{os.getpid()}-{secrets.token_hex(3)}"


@dataclass
class DeliveryCounts:
    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    dead: int = 0
    stale: int = 0
    released: int = 0
    withdrawn: int = 0

    def describe(self) -> str:
        parts = [f"{value} {name}" for name, value in vars(self).items() if value]
        return ", ".join(parts) if parts else "nothing to send"


@dataclass(frozen=True)
class Claimed:
    id: int
    tenant: str
    platform: str
    user_id: str | None
    display_name: str | None
    channel_id: str | None
    message: Stored
    attempts: int
    stale_after: datetime | None

    @property
    def kind(self) -> DeliveryKind:
        return self.message.kind


@dataclass(frozen=True)
class Claim:
    rows: list[Claimed]
    # Nothing may go now, but something is due: how long to wait, and for which platform's cap.
    wait: tuple[str | None, float] | None = None


@dataclass
class Deliverer:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentLibrary
    outboxes: Mapping[str, Outbox]
    budgets: SendBudgets = field(default_factory=lambda: SendBudgets({}))
    owner: str = field(default_factory=owner_name)
    batch_size: int = 100
    concurrency: int = 16
    lease: timedelta = timedelta(seconds=30)
    rng: random.Random = field(default_factory=random.Random)
    telemetry: Telemetry = field(default_factory=NoTelemetry)
    wall: Clock = field(default_factory=SystemClock)  # paces real sends; never simulated
    _stopping: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._semaphore = asyncio.Semaphore(self.concurrency)

    async def run(self) -> DeliveryCounts:
        """Deliver everything due now, batch after batch, until nothing is claimable; wait for
        a spent budget while something due is held back by one."""
        counts = DeliveryCounts(stale=await self._expire_stale())
        writer = OutcomeWriter(self.sessions, self.owner, self.telemetry)
        writer.start()
        renewing = asyncio.create_task(self._renew_leases())
        try:
            while not self._stopping.is_set():
                claim = await self._claim()
                if claim.rows:
                    await asyncio.gather(
                        *(self._deliver_one(row, counts, writer) for row in claim.rows)
                    )
                elif claim.wait is None:
                    break
                else:
                    await self._pause(*claim.wait)
        finally:
            await writer.close()  # outcomes still queued keep their leases until written
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        return counts

    def stop(self) -> None:
        """Finish the sends in flight; claims not yet started are given back for others."""
        self._stopping.set()

    async def _pause(self, platform: str | None, seconds: float) -> None:
        seconds = min(max(seconds, SHORTEST_PAUSE), LONGEST_PAUSE)
        started = time.perf_counter()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        if platform is not None:
            waited = time.perf_counter() - started
            self.telemetry.rate_limit_wait(platform, RateLimit.CAP, waited)

    async def _renew_leases(self) -> None:
        """Keep this deliverer's claims its own while it is alive, however long a send takes;
        only a dead deliverer's claims expire."""
        every = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                async with self.sessions() as session, session.begin():
                    await session.execute(
                        update(Delivery)
                        .where(
                            Delivery.lease_owner == self.owner,
                            Delivery.status == DeliveryStatus.SENDING,
                        )
                        .values(lease_expires_at=self.clock.now() + self.lease)
                    )
            except Exception as exc:  # the next renewal tries again; the lease has slack
                log.warning("could not renew delivery leases: %s", exc)

    @staticmethod
    def _only_tenants_of(platforms: list[str]) -> ColumnElement[bool]:
        """Deliveries to these platforms' tenants, said as "not the others'": PostgreSQL keeps
        a NOT IN subquery as a filter on the claim's ordered index walk, where an IN subquery
        may become a join that visits every waiting row first."""
        others = select(Tenant.id).where(Tenant.platform.not_in(platforms))
        return Delivery.tenant_id.not_in(others)

    async def _expire_stale(self) -> int:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(Delivery)
                .where(
                    Delivery.status.in_(WAITING),
                    Delivery.stale_after.is_not(None),
                    Delivery.stale_after <= now,
                )
                .values(status=DeliveryStatus.SKIPPED_STALE, last_error=STALE_REASON)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def _claim(self) -> Claim:
        now, paced = self.clock.now(), self.wall.now()
        due = or_(
            and_(Delivery.status.in_(WAITING), Delivery.next_attempt_at <= now),
            and_(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_expires_at < now),
        )
        mine = self._only_tenants_of(list(self.outboxes))
        async with self.sessions() as session, session.begin():
            spent = await self.budgets.spent_platforms(session, list(self.outboxes), paced)
            open_tenants = (
                self._only_tenants_of([p for p in self.outboxes if p not in spent]),
                Delivery.tenant_id.not_in(self.budgets.spent_tenants(paced)),
            )
            found: list[tuple[datetime, int, int]] = []
            for kind_of_due in (
                and_(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_expires_at < now),
                *(
                    and_(Delivery.status == status, Delivery.next_attempt_at <= now)
                    for status in WAITING
                ),
            ):
                # One status at a time, so each walks its index in order and stops at a batch.
                batch = await session.execute(
                    select(Delivery.next_attempt_at, Delivery.id, Delivery.tenant_id)
                    .where(kind_of_due, *open_tenants)
                    .order_by(Delivery.next_attempt_at, Delivery.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
                found += [(at, delivery_id, tenant) for at, delivery_id, tenant in batch]
            candidates = sorted(found)[: self.batch_size]
            platform_of = dict(
                (
                    await session.execute(
                        select(Tenant.id, Tenant.platform).where(
                            Tenant.id.in_({tenant for _, _, tenant in candidates})
                        )
                    )
                ).all()
            )
            wanted = [Wanted(i, platform_of[tenant], tenant) for _, i, tenant in candidates]
            chosen = await self.budgets.spend(session, wanted, paced)
            if not chosen:
                if not await session.scalar(select(exists().where(due, mine))):
                    return Claim([])  # nothing due: this run is over
                # Due, but held back by a spent budget, or claimed this instant by another
                # replica whose claim has not committed yet: look again shortly.
                ready = await self.budgets.next_ready(session, paced)
                return Claim([], ready or (None, SHORTEST_PAUSE))
            ids = list(
                await session.scalars(
                    update(Delivery)
                    .where(Delivery.id.in_(chosen), due)
                    .values(
                        status=DeliveryStatus.SENDING,
                        lease_owner=self.owner,
                        # from now, not from when the claim began waiting for the budgets
                        lease_expires_at=self.clock.now() + self.lease,
                        attempts=Delivery.attempts + 1,
                    )
                    .returning(Delivery.id)
                )
            )
            if not ids:
                return Claim([])
            rows = await session.execute(
                select(Delivery, Tenant.platform, Tenant.external_id, Member.display_name)
                .join(Tenant, Tenant.id == Delivery.tenant_id)
                .outerjoin(Member, Member.id == Delivery.member_id)
                .where(Delivery.id.in_(ids))
                .order_by(Delivery.next_attempt_at, Delivery.id)
            )
            return Claim(
                [
                    Claimed(
                        id=d.id,
                        tenant=external_id,
                        platform=platform,
                        user_id=d.target_user_id,
                        display_name=name,
                        channel_id=d.target_channel_id,
                        message=Stored(d.kind, d.payload, d.cohort_id, d.member_id, d.period),
                        attempts=d.attempts,
                        stale_after=d.stale_after,
                    )
                    for d, platform, external_id, name in rows
                ]
            )

    async def _deliver_one(
        self, row: Claimed, counts: DeliveryCounts, writer: OutcomeWriter
    ) -> None:
        async with self._semaphore:
            if self._stopping.is_set():
                released = {"status": DeliveryStatus.PENDING, "attempts": row.attempts - 1}
                writer.put(Outcome(row.id, released, kind=row.kind))
                counts.released += 1
                return
            if row.stale_after is not None and self.clock.now() >= row.stale_after:
                stale = {"status": DeliveryStatus.SKIPPED_STALE, "last_error": STALE_REASON}
                writer.put(Outcome(row.id, stale, kind=row.kind))
                counts.stale += 1
                return
            context = LogContext(str(row.id), row.tenant, row.platform, str(row.kind))
            with logging_as(context):
                reply = await self._reply(row)
                if reply is None:
                    withdrawn = {"status": DeliveryStatus.WITHDRAWN}
                    writer.put(Outcome(row.id, withdrawn, kind=row.kind))
                    counts.withdrawn += 1
                    return
                started = time.perf_counter()
                result = await self._send(row, reply)
                self.telemetry.sent(row.platform, time.perf_counter() - started)
                if isinstance(result, RetryAfter) and result.rate_limited:
                    self.telemetry.rate_limit_wait(row.platform, RateLimit.PLATFORM, result.seconds)
            writer.put(self._outcome(row, result, counts))

    async def _reply(self, row: Claimed) -> Reply | None:
        """What to send, decided now: see :mod:`scheduler.send_time`."""
        return await reply_at_send(self.sessions, self.content, self.clock.now(), row.message)

    async def _send(self, row: Claimed, reply: Reply) -> DeliveryResult:
        outbox = self.outboxes[row.platform]
        try:
            if row.user_id is not None:
                user = ChatUser(
                    row.platform, row.tenant, row.user_id, row.display_name or row.user_id
                )
                return await outbox.send_dm(user, reply)
            address = Address(row.platform, row.tenant, channel_id=row.channel_id)
            return await outbox.post(address, reply)
        except Exception as exc:  # a bug or an outage must not stop the other deliveries
            log.exception("delivery %s failed while sending", row.id)
            return RetryAfter(0, f"{type(exc).__name__}: {exc}"[:500])

    def _outcome(self, row: Claimed, result: DeliveryResult, counts: DeliveryCounts) -> Outcome:
        """What to write for one platform answer; a DM also updates the member's DM state."""
        now = self.clock.now()
        dm_member = row.message.member_id if row.user_id is not None else None
        match result:
            case Sent(platform_message_id=message_id):
                counts.sent += 1
                values = {
                    "status": DeliveryStatus.SENT,
                    "platform_message_id": message_id,
                    "sent_at": now,
                    "last_error": None,
                }
                return Outcome(row.id, values, dm_member, None, row.kind)
            case Undeliverable(reason=reason):
                counts.undeliverable += 1
                values = {"status": DeliveryStatus.UNDELIVERABLE, "last_error": reason}
                return Outcome(row.id, values, dm_member, reason, row.kind)
            case RetryAfter(seconds=seconds, reason=reason):
                if row.attempts >= MAX_ATTEMPTS:
                    counts.dead += 1
                    dead = {"status": DeliveryStatus.DEAD, "last_error": reason}
                    return Outcome(row.id, dead, kind=row.kind)
                counts.retried += 1
                delay = retry_delay(row.attempts, seconds, self.rng)
                values = {
                    "status": DeliveryStatus.RETRY,
                    "last_error": reason,
                    "next_attempt_at": now + timedelta(seconds=delay),
                }
                return Outcome(row.id, values, kind=row.kind)
        raise AssertionError(f"unknown delivery result {result!r}")
