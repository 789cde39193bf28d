"""The composition root: the one place that knows every part and wires them together."""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass

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
from scheduler.jobs import DueJobs
from scheduler.rate_limits import RateCap, SendLimiter


def configure_logging(settings: Settings, quiet_by_default: bool = False) -> None:
    """Log to stderr; the console shows only warnings unless LOG_LEVEL says otherwise."""
    explicit = "log_level" in settings.model_fields_set
    level = settings.log_level if explicit or not quiet_by_default else "WARNING"
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if logging.getLogger().level > logging.DEBUG:
        logging.getLogger("alembic").setLevel(logging.WARNING)


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
    """The one job runner, with the one rate limiter, that serve, ``jobs run-due`` and the
    console's ``:due`` all use."""
    settings = runtime.settings
    return DueJobs(
        runtime.core.sessions,
        runtime.core.clock,
        runtime.core.content,
        outboxes,
        SendLimiter(rate_caps(settings)),
        concurrency=settings.delivery_concurrency,
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
    settings: Settings, clock: Clock, content: ContentLibrary | None = None
) -> Runtime:
    engine = create_engine(settings.database_url)
    core = PivotCore(
        sessions=session_factory(engine),
        clock=clock,
        content=content or load_content(),
        settings=settings,
    )
    lookups = create_engine(settings.database_url, immediate=False)
    return Runtime(settings=settings, engine=engine, lookups=lookups, core=core)
