"""``GET /healthz`` and ``GET /readyz``: is this process alive, and should it get traffic?

Liveness asks only the database. Readiness also asks every platform this replica serves
(Slack's token checked, Discord's shards connected), and says no while the replica starts or
stops, so a load balancer sends requests only where they will be answered.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformService

log = logging.getLogger(__name__)

STARTING = "starting"
STOPPING = "shutting down"


async def database_problem(engine: AsyncEngine) -> str | None:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not healthy", never a traceback
        log.warning("health check failed: %s", exc)
        return "the database does not answer"
    return None


@dataclass
class Readiness:
    engine: AsyncEngine
    services: Sequence[PlatformService]
    phase: str | None = field(default=STARTING)  # None once started, until it stops

    def started(self) -> None:
        self.phase = None

    def stopping(self) -> None:
        self.phase = STOPPING

    async def problem(self) -> str | None:
        """Why this replica should not get traffic now, or None when it should."""
        if self.phase is not None:
            return self.phase
        if (problem := await database_problem(self.engine)) is not None:
            return problem
        for service in self.services:
            if (problem := await service.readiness()) is not None:
                return f"{service.platform}: {problem}"
        return None


def probe_routes(readiness: Readiness) -> list[web.RouteDef]:
    async def healthz(_request: web.Request) -> web.Response:
        if await database_problem(readiness.engine) is not None:
            return web.json_response({"status": "unavailable", "database": "down"}, status=503)
        return web.json_response({"status": "ok", "database": "up"})

    async def readyz(_request: web.Request) -> web.Response:
        problem = await readiness.problem()
        if problem is not None:
            return web.json_response({"status": "not ready", "reason": problem}, status=503)
        return web.json_response({"status": "ready"})

    return [web.get("/healthz", healthz), web.get("/readyz", readyz)]
