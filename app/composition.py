"""The composition root: the one place that knows every part and wires them together."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

import migrations
from adapters.platform_service import PlatformInputs, StartupError
from bot.config import Settings
from bot.content.loader import ContentError, ContentLibrary, load_library
from bot.core import PivotCore
from bot.database_faults import database_fault
from bot.db.engine import create_engine, session_factory
from bot.messages import DISCORD, SLACK
from bot.ports import Clock, Outbox
from bot.telemetry import NoTelemetry, Telemetry
from scheduler.jobs import DueJobs
from scheduler.send_budgets import RateCap, SendBudgets


def load_content() -> ContentLibrary:
    try:
        return load_library()
    except ContentError as exc:
        raise StartupError(f"content error: {exc}") from exc


def migrate(url: str) -> None:
    """Bring the schema to head; safe to call on every start."""
    try:
        migrations.upgrade(url)
    except Exception as exc:
        fault = database_fault(exc)
        reason = fault.value if fault else str(exc).splitlines()[0]
        raise StartupError(f"cannot migrate {url.split('@')[-1]}: {reason}") from exc


async def migrate_async(url: str) -> None:
    await asyncio.to_thread(migrate, url)


def rate_caps(settings: Settings) -> dict[str, RateCap]:
    return {
        SLACK: RateCap(settings.slack_send_rate_per_workspace, settings.slack_send_rate_total),
        DISCORD: RateCap(settings.discord_send_rate_per_guild, settings.discord_send_rate_total),
    }


def due_jobs(runtime: Runtime, outboxes: dict[str, Outbox]) -> DueJobs:
    """The one job runner, with the shared send caps, that serve, ``jobs run-due`` and the
    console's ``:due`` all use."""
    settings = runtime.settings
    return DueJobs(
        runtime.core.sessions,
        runtime.core.clock,
        runtime.core.content,
        outboxes,
        SendBudgets(rate_caps(settings)),
        concurrency=settings.delivery_concurrency,
        lease=timedelta(seconds=settings.delivery_lease_seconds),
        telemetry=runtime.core.telemetry,
    )


@dataclass
class Runtime:
    """What every entry point needs: settings, the engines, the core."""

    settings: Settings
    engine: AsyncEngine
    lookups: AsyncEngine  # deferred transactions, for reads that must never wait for a writer
    core: PivotCore

    @property
    def platform_inputs(self) -> PlatformInputs:
        return PlatformInputs(self.core, self.settings, self.lookups)

    async def close(self) -> None:
        await self.lookups.dispose()
        await self.engine.dispose()


def build_runtime(
    settings: Settings,
    clock: Clock,
    content: ContentLibrary | None = None,
    telemetry: Telemetry | None = None,
) -> Runtime:
    engine = create_engine(settings.database_url)
    lookups = create_engine(settings.database_url, immediate=False)
    core = PivotCore(
        sessions=session_factory(engine),
        clock=clock,
        content=content or load_content(),
        settings=settings,
        telemetry=telemetry or NoTelemetry(),
        readers=session_factory(lookups),
    )
    return Runtime(settings=settings, engine=engine, lookups=lookups, core=core)
