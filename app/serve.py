"""``pivotbot serve``: every configured platform, the HTTP server and the scheduler, in one loop.

Many replicas may serve one PostgreSQL database: the database holds everything they share
(requests handled, deliveries and their leases, the send budgets), and each replica runs the
Discord shards its settings name.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from adapters.web_pages.routes import web_page_routes
from app.composition import build_runtime, due_jobs, migrate_async
from app.metrics import PrometheusTelemetry, metrics_routes
from app.platforms import build_services
from app.probes import Readiness, probe_routes
from bot.clock import SystemClock
from bot.config import Settings
from scheduler.runtime import SchedulerRuntime

log = logging.getLogger(__name__)

REQUESTS_GRACE_SECONDS = 10.0  # for requests in flight at shutdown to be answered


async def serve(settings: Settings) -> int:
    await migrate_async(settings.database_url)
    telemetry = PrometheusTelemetry()
    runtime = build_runtime(settings, SystemClock(), telemetry=telemetry)
    services = build_services(runtime.platform_inputs)
    readiness = Readiness(runtime.engine, services)
    app = web.Application()
    app.add_routes(probe_routes(readiness))
    app.add_routes(metrics_routes(telemetry, runtime.core.sessions, runtime.core.clock))
    app.add_routes(web_page_routes(runtime.core))
    for service in services:
        service.add_routes(app)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=REQUESTS_GRACE_SECONDS)
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
        readiness.started()
        await stopping.wait()
        log.info("shutting down: no new requests; finishing sends in flight")
    finally:
        # Stop taking requests (those in flight are answered), then finish the sends in
        # flight and give every other claimed delivery back, then let each platform finish
        # its acknowledged work, and only then close the database.
        readiness.stopping()
        await runner.cleanup()
        await scheduler.stop()
        for service in reversed(services):
            await service.stop()
        await runtime.close()
        log.info("stopped")
    return 0
