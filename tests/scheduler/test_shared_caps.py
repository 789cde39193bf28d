"""Send caps and leases hold across replicas: two deliverers on one database send to a
workspace no faster than its one cap, and a live deliverer's slow send is never taken over."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from bot.clock import ManualClock, SystemClock
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Delivery, SendBudget
from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult, Sent
from scheduler.deliverer import Deliverer
from scheduler.send_budgets import RateCap, SendBudgets, burst
from tests.support.queued_dms import enqueue_nudges

RATE = 20.0  # messages per second to the workspace, for every replica together


@dataclass
class TimedOutbox:
    """Records when each send happened, by the wall clock, and who it was for."""

    delay: float = 0.0
    sends: list[tuple[float, str]] = field(default_factory=list)

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        self.sends.append((time.monotonic(), user.user_id))
        await asyncio.sleep(self.delay)
        return Sent(str(len(self.sends)))

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        raise AssertionError("DMs only here")


def _most_in_one_second(moments: list[float]) -> int:
    moments = sorted(moments)
    return max(
        sum(1 for later in moments[i:] if later - start < 1.0) for i, start in enumerate(moments)
    )


async def test_two_replicas_together_keep_to_one_workspaces_cap(
    core: PivotCore, clock: ManualClock, database_url: str
) -> None:
    await enqueue_nudges(core, 60, core.clock.now(), user_prefix="acme-u")
    caps = {"console": RateCap(per_tenant=RATE, per_platform=1000)}
    outbox = TimedOutbox()
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        replicas = [
            Deliverer(
                session_factory(e), clock, core.content, {"console": outbox}, SendBudgets(caps)
            )
            for e in engines
        ]
        first, second = await asyncio.gather(*(replica.run() for replica in replicas))
    finally:
        for engine in engines:
            await engine.dispose()
    assert first.sent + second.sent == 60
    assert first.sent  # both replicas sent, from the one budget
    assert second.sent
    assert sorted(user for _, user in outbox.sends) == sorted(f"acme-u{i}" for i in range(60))
    # Alone, each would have sent 20 a second: together they still send at most 20, plus the
    # burst a quiet budget allows.
    assert _most_in_one_second([at for at, _ in outbox.sends]) <= RATE + burst(RATE)


async def test_a_workspace_at_its_cap_does_not_hold_up_another(
    core: PivotCore, clock: ManualClock
) -> None:
    await enqueue_nudges(core, 6, core.clock.now(), tenant="slow", user_prefix="slow-u")
    await enqueue_nudges(
        core, 6, core.clock.now(), tenant="other", user_prefix="other-u", first=100
    )
    caps = {"console": RateCap(per_tenant=1.0, per_platform=1000)}
    outbox = TimedOutbox()
    deliverer = Deliverer(
        core.sessions, clock, core.content, {"console": outbox}, SendBudgets(caps)
    )
    task = asyncio.create_task(deliverer.run())
    for _ in range(400):
        if sum(1 for _, user in outbox.sends if user.startswith("other")) == 1:
            break
        await asyncio.sleep(0.01)
    deliverer.stop()
    counts = await task
    # One message a second per workspace: each got its first at once; neither waited its turn.
    assert sorted(user.split("-")[0] for _, user in outbox.sends) == ["other", "slow"]
    assert counts.released == 0  # nothing was claimed that could not go at once
    async with core.sessions() as session:
        budgets = await session.scalar(select(func.count()).select_from(SendBudget))
        waiting = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == "pending")
        )
    assert budgets == 3  # the platform's, and one per workspace
    assert waiting == 10


async def test_a_live_replicas_slow_send_is_not_taken_over_when_its_lease_would_expire(
    core: PivotCore, database_url: str
) -> None:
    wall = SystemClock()
    core.clock = wall
    await enqueue_nudges(core, 1, core.clock.now(), user_prefix="acme-u")
    slow, other = TimedOutbox(delay=1.5), TimedOutbox()
    lease = timedelta(seconds=0.6)
    engine = create_engine(database_url)
    try:
        holder = Deliverer(core.sessions, wall, core.content, {"console": slow}, lease=lease)
        task = asyncio.create_task(holder.run())
        while not slow.sends:  # noqa: ASYNC110 - the send is the event, and it has no hook
            await asyncio.sleep(0.01)
        await asyncio.sleep(1.0)  # well past the lease: only its renewal keeps it
        rival = Deliverer(
            session_factory(engine), wall, core.content, {"console": other}, lease=lease
        )
        taken = await rival.run()
        held = await task
    finally:
        await engine.dispose()
    assert (held.sent, taken.sent) == (1, 0)
    assert other.sends == []
