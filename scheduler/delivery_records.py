"""Record delivery outcomes in small group commits, written by one task.

Sixteen concurrent senders each opening a write transaction would queue on SQLite's write
lock (and sleep in its busy handler); one writer that commits whatever outcomes have piled up
keeps a fan-out of 10,000 messages to a few seconds of database work. The price is a slightly
wider crash window: an outcome waits at most one group commit before it is durable.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery, Member
from bot.domain.deliveries import DeliveryKind
from bot.telemetry import NoTelemetry, Telemetry
from bot.views.formatting import plural

log = logging.getLogger(__name__)

MAX_GROUP = 200


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    values: dict[str, Any]  # the delivery's new column values
    member_id: int | None = None  # set to update that member's DM state too
    dm_problem: str | None = None
    kind: DeliveryKind | None = None  # for the metrics


@dataclass
class OutcomeWriter:
    sessions: async_sessionmaker[AsyncSession]
    owner: str
    telemetry: Telemetry = field(default_factory=NoTelemetry)
    _queue: asyncio.Queue[Outcome | None] = field(default_factory=asyncio.Queue)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._drain())

    def put(self, outcome: Outcome) -> None:
        self._queue.put_nowait(outcome)

    async def close(self) -> None:
        """Write everything queued, then stop."""
        if self._task is None:
            return
        self._queue.put_nowait(None)
        await self._task
        self._task = None

    async def _drain(self) -> None:
        done = False
        while not done:
            group: list[Outcome] = []
            item = await self._queue.get()
            while item is not None:
                group.append(item)
                if len(group) >= MAX_GROUP or self._queue.empty():
                    break
                item = self._queue.get_nowait()
            done = item is None
            if group:
                await self._write(group)

    async def _write(self, group: list[Outcome]) -> None:
        """One transaction; one executemany per shape of outcome (sent, retry, ...).

        Members come first and in id order, the order a command takes them in, so this never
        waits for a member's command while holding rows that command needs. The leases still
        ours are then locked and counted by a query, since an executemany's row count is
        ``-1`` on asyncpg; an outcome whose lease another sender has taken is left to it.
        """
        table = Delivery.__table__
        assert isinstance(table, Table)
        try:
            async with self.sessions() as session, session.begin():
                await self._update_members(session, group)
                connection = await session.connection()
                held = set(
                    await connection.scalars(
                        select(table.c.id)
                        .where(
                            table.c.id.in_([o.delivery_id for o in group]),
                            table.c.lease_owner == self.owner,
                        )
                        .with_for_update()
                    )
                )
                lost = len({o.delivery_id for o in group} - held)
                if lost:
                    log.warning(
                        "%s lost before %s outcome was recorded",
                        plural(lost, "delivery lease"),
                        "its" if lost == 1 else "their",
                    )
                shapes: dict[tuple[str, ...], list[Outcome]] = defaultdict(list)
                for outcome in group:
                    if outcome.delivery_id in held:
                        shapes[tuple(sorted(outcome.values))].append(outcome)
                for shape, outcomes in shapes.items():
                    statement = (
                        table.update()
                        .where(table.c.id == bindparam("_id"), table.c.lease_owner == self.owner)
                        .values(
                            lease_owner=None,
                            lease_expires_at=None,
                            **{name: bindparam(f"_{name}") for name in shape},
                        )
                    )
                    params = [
                        {"_id": o.delivery_id, **{f"_{k}": o.values[k] for k in shape}}
                        for o in outcomes
                    ]
                    await connection.execute(statement, params)
        except Exception:
            # The claims stay leased and expire, so these deliveries are retried, not lost.
            log.exception("could not record %d delivery outcomes", len(group))
            return
        for outcome in group:
            if outcome.kind is not None:
                self.telemetry.delivery_recorded(outcome.kind, str(outcome.values["status"]))

    @staticmethod
    async def _update_members(session: AsyncSession, group: list[Outcome]) -> None:
        """Flag members whose DMs failed; clear the flag once a DM reaches them again.

        Their rows are locked in id order first, so two senders recording outcomes for the
        same members never wait for each other in a circle.
        """
        reachable = {o.member_id for o in group if o.member_id is not None and not o.dm_problem}
        failed = {
            o.member_id: o.dm_problem
            for o in group
            if o.member_id is not None and o.dm_problem and o.member_id not in reachable
        }
        if not reachable and not failed:
            return
        await session.execute(
            select(Member.id)
            .where(Member.id.in_([*reachable, *failed]))
            .order_by(Member.id)
            .with_for_update(key_share=True)
        )
        for member_id, problem in failed.items():
            await session.execute(
                update(Member).where(Member.id == member_id).values(dm_problem=problem)
            )
        if reachable:
            await session.execute(
                update(Member)
                .where(Member.id.in_(reachable), Member.dm_problem.is_not(None))
                .values(dm_problem=None)
            )
