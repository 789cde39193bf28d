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

from sqlalchemy import Table, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery, Member

log = logging.getLogger(__name__)

MAX_GROUP = 200


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    values: dict[str, Any]  # the delivery's new column values
    member_id: int | None = None  # set to update that member's DM state too
    dm_problem: str | None = None


@dataclass
class OutcomeWriter:
    sessions: async_sessionmaker[AsyncSession]
    owner: str
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
        """One transaction; one executemany per shape of outcome (sent, retry, ...)."""
        table = Delivery.__table__
        assert isinstance(table, Table)
        shapes: dict[tuple[str, ...], list[Outcome]] = defaultdict(list)
        for outcome in group:
            shapes[tuple(sorted(outcome.values))].append(outcome)
        try:
            async with self.sessions() as session, session.begin():
                connection = await session.connection()
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
                    result = await connection.execute(statement, params)
                    lost = len(outcomes) - int(getattr(result, "rowcount", len(outcomes)))
                    if lost > 0:
                        log.warning("%d delivery leases were lost before their outcome", lost)
                await self._update_members(session, group)
        except Exception:
            # The claims stay leased and expire, so these deliveries are retried, not lost.
            log.exception("could not record %d delivery outcomes", len(group))

    @staticmethod
    async def _update_members(session: AsyncSession, group: list[Outcome]) -> None:
        """Flag members whose DMs failed; clear the flag once a DM reaches them again."""
        for outcome in group:
            if outcome.member_id is not None and outcome.dm_problem is not None:
                await session.execute(
                    update(Member)
                    .where(Member.id == outcome.member_id)
                    .values(dm_problem=outcome.dm_problem)
                )
        reachable = [o.member_id for o in group if o.member_id is not None and o.dm_problem is None]
        if reachable:
            await session.execute(
                update(Member)
                .where(Member.id.in_(reachable), Member.dm_problem.is_not(None))
                .values(dm_problem=None)
            )
