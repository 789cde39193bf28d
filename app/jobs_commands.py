"""``pivotbot jobs run-due`` and ``pivotbot jobs status``: the scheduler's work, on demand."""

from __future__ import annotations

from datetime import datetime

from adapters.console_adapter.outbox import ConsoleOutbox
from app.composition import build_runtime, due_jobs, migrate_async
from app.platforms import build_sendings
from bot.clock import ManualClock, SystemClock
from bot.config import Settings
from bot.messages import CONSOLE
from bot.ports import Clock, Outbox
from scheduler.status import outbox_status


def _clock(now: datetime | None) -> Clock:
    return ManualClock(now) if now is not None else SystemClock()


async def run_due(settings: Settings, now: datetime | None) -> int:
    """Plan and deliver once, print a summary, and exit 0 even when some sends failed."""
    await migrate_async(settings.database_url)
    runtime = build_runtime(settings, _clock(now))
    console = ConsoleOutbox()
    outboxes: dict[str, Outbox] = {CONSOLE: console}
    sendings = build_sendings(runtime.platform_inputs)
    try:
        for sending in sendings:
            await sending.start()
            outboxes[sending.platform] = sending.outbox
        planned, delivered = await due_jobs(runtime, outboxes).run_due()
        for line in console.take():
            print(line)
        print(f"planned: {planned.describe()}")
        print(f"delivered: {delivered.describe()}")
    finally:
        for sending in reversed(sendings):
            await sending.stop()
        await runtime.close()
    return 0


async def status(settings: Settings, now: datetime | None) -> int:
    await migrate_async(settings.database_url)
    runtime = build_runtime(settings, _clock(now))
    try:
        async with runtime.core.sessions() as session:
            report = await outbox_status(session, runtime.core.clock.now())
    finally:
        await runtime.close()
    print("\n".join(report.lines()))
    return 0
