"""``pivotbot serve``: every configured platform, the HTTP server and the scheduler, in one loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.composition import build_runtime, due_jobs, migrate_async
from app.platforms import build_services
from bot.clock import SystemClock
from bot.config import Settings
from scheduler.runtime import SchedulerRuntime

log = logging.getLogger(__name__)


def health_routes(engine: AsyncEngine) -> list[web.RouteDef]:
    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means "not healthy", never a traceback
            log.warning("health check failed: %s", exc)
            return web.json_response({"status": "unavailable", "database": "down"}, status=503)
        return web.json_response({"status": "ok", "database": "up"})

    return [web.get("/healthz", healthz)]


async def serve(settings: Settings) -> int:
    await migrate_async(settings.database_url)
    runtime = build_runtime(settings, SystemClock())
    services = build_services(runtime.platform_inputs)
    app = web.Application()
    app.add_routes(health_routes(runtime.engine))
    for service in services:
        service.add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    log.info("listening on %s:%s", settings.host, settings.port)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stopping.set)
    scheduler = SchedulerRuntime(due_jobs(runtime, {s.platform: s.outbox for s in services}))
    try:
        for service in services:
            await service.start()
        scheduler.start()
        await stopping.wait()
        log.info("shutting down: finishing sends in flight")
    finally:
        # Finish sends in flight, then stop taking requests (letting those in flight answer),
        # then let each platform finish its acknowledged work, and only then close the database.
        await scheduler.stop()
        await runner.cleanup()
        for service in reversed(services):
            await service.stop()
        await runtime.close()
    return 0
