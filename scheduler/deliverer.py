"""Send what the outbox holds, exactly once across replicas, and record what the platform said.

A row is claimed with a lease inside one short transaction (a conditional UPDATE on SQLite,
whose writers are serialised; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), sent outside any
transaction, and its outcome recorded in a later group commit. A process that dies between
sending and recording leaves its claim to expire, and the row is sent again: a crash never
loses a message, and duplicates at most the ones sent but not yet recorded at that moment (the
sends in flight plus one pending group commit), each of them once.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.db.models import Delivery, Member, Tenant
from bot.domain.deliveries import WAITING, DeliveryStatus
from bot.messages import Address, ChatUser, Reply
from bot.ports import Clock, DeliveryResult, Outbox, RetryAfter, Sent, Undeliverable
from scheduler.delivery_records import Outcome, OutcomeWriter
from scheduler.rate_limits import SendLimiter
from scheduler.send_time import Stored, reply_at_send
from scheduler.timing import MAX_ATTEMPTS, retry_delay

log = logging.getLogger(__name__)

STALE_REASON = "its period passed before it could be sent"


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


@dataclass
class Deliverer:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentLibrary
    outboxes: Mapping[str, Outbox]
    limiter: SendLimiter = field(default_factory=lambda: SendLimiter({}))
    owner: str = field(default_factory=lambda: f"deliverer-{secrets.token_hex(4)}")
    batch_size: int = 100
    concurrency: int = 16
    lease: timedelta = timedelta(minutes=2)
    rng: random.Random = field(default_factory=random.Random)
    _stopping: bool = field(default=False, init=False)
    _semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._semaphore = asyncio.Semaphore(self.concurrency)

    async def run(self) -> DeliveryCounts:
        """Deliver everything due now, batch after batch, until nothing is claimable."""
        counts = DeliveryCounts(stale=await self._expire_stale())
        writer = OutcomeWriter(self.sessions, self.owner)
        writer.start()
        try:
            while not self._stopping:
                claimed = await self._claim()
                if not claimed:
                    break
                await asyncio.gather(*(self._deliver_one(row, counts, writer) for row in claimed))
        finally:
            await writer.close()
        return counts

    def stop(self) -> None:
        """Finish the sends in flight; claims not yet started are released for others."""
        self._stopping = True

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

    async def _claim(self) -> list[Claimed]:
        now = self.clock.now()
        platforms = list(self.outboxes)
        due = or_(
            and_(Delivery.status.in_(WAITING), Delivery.next_attempt_at <= now),
            and_(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_expires_at < now),
        )
        candidates = (
            select(Delivery.id)
            .where(
                due, Delivery.tenant_id.in_(select(Tenant.id).where(Tenant.platform.in_(platforms)))
            )
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
        )
        async with self.sessions() as session, session.begin():
            ids = list(
                await session.scalars(
                    update(Delivery)
                    .where(Delivery.id.in_(candidates), due)
                    .values(
                        status=DeliveryStatus.SENDING,
                        lease_owner=self.owner,
                        lease_expires_at=now + self.lease,
                        attempts=Delivery.attempts + 1,
                    )
                    .returning(Delivery.id)
                )
            )
            if not ids:
                return []
            rows = await session.execute(
                select(Delivery, Tenant.platform, Tenant.external_id, Member.display_name)
                .join(Tenant, Tenant.id == Delivery.tenant_id)
                .outerjoin(Member, Member.id == Delivery.member_id)
                .where(Delivery.id.in_(ids))
                .order_by(Delivery.next_attempt_at, Delivery.id)
            )
            return [
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

    async def _deliver_one(
        self, row: Claimed, counts: DeliveryCounts, writer: OutcomeWriter
    ) -> None:
        async with self._semaphore:
            if self._stopping:
                released = {"status": DeliveryStatus.PENDING, "attempts": row.attempts - 1}
                writer.put(Outcome(row.id, released))
                counts.released += 1
                return
            if row.stale_after is not None and self.clock.now() >= row.stale_after:
                stale = {"status": DeliveryStatus.SKIPPED_STALE, "last_error": STALE_REASON}
                writer.put(Outcome(row.id, stale))
                counts.stale += 1
                return
            reply = await self._reply(row)
            if reply is None:
                writer.put(Outcome(row.id, {"status": DeliveryStatus.WITHDRAWN}))
                counts.withdrawn += 1
                return
            await self.limiter.wait(row.platform, row.tenant)
            result = await self._send(row, reply)
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
                return Outcome(row.id, values, dm_member, None)
            case Undeliverable(reason=reason):
                counts.undeliverable += 1
                values = {"status": DeliveryStatus.UNDELIVERABLE, "last_error": reason}
                return Outcome(row.id, values, dm_member, reason)
            case RetryAfter(seconds=seconds, reason=reason):
                if row.attempts >= MAX_ATTEMPTS:
                    counts.dead += 1
                    return Outcome(row.id, {"status": DeliveryStatus.DEAD, "last_error": reason})
                counts.retried += 1
                delay = retry_delay(row.attempts, seconds, self.rng)
                values = {
                    "status": DeliveryStatus.RETRY,
                    "last_error": reason,
                    "next_attempt_at": now + timedelta(seconds=delay),
                }
                return Outcome(row.id, values)
        raise AssertionError(f"unknown delivery result {result!r}")
