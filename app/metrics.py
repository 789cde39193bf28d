"""``GET /metrics``: what the bot did and what it owes, in Prometheus's text format.

The core and the scheduler report through the neutral ``Telemetry`` port; this is the one
place that turns those reports into Prometheus metrics. Counters and histograms are per
replica (Prometheus sums them across replicas); the outbox's depth and the age of its oldest
due delivery are read from the database at each scrape, so every replica reports the same.
"""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ports import Clock
from bot.telemetry import RateLimit, ReplyOutcome
from scheduler.status import outbox_depth

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
COMMAND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
WAIT_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0, 60.0, 300.0)


class PrometheusTelemetry:
    """The ``Telemetry`` port, recorded in a registry of its own (one per process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.command_seconds = Histogram(
            "pivotbot_command_seconds",
            "Time to answer a command, from invocation to reply, by command and platform.",
            ["platform", "command"],
            buckets=COMMAND_BUCKETS,
            registry=self.registry,
        )
        self.replies = Counter(
            "pivotbot_replies",
            "Replies by outcome: ok, usage_error (the member's mistake), busy or bug.",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.deliveries = Counter(
            "pivotbot_deliveries",
            "Deliveries recorded by this replica, by kind and the status they reached.",
            ["kind", "status"],
            registry=self.registry,
        )
        self.send_seconds = Histogram(
            "pivotbot_send_seconds",
            "Time of one send (a DM or a channel post) to the platform.",
            ["platform"],
            buckets=COMMAND_BUCKETS,
            registry=self.registry,
        )
        self.rate_limit_waits = Histogram(
            "pivotbot_rate_limit_wait_seconds",
            "Waits imposed on sending: limit=cap for the shared send caps, limit=platform for "
            "the time a platform's 429 asked for.",
            ["platform", "limit"],
            buckets=WAIT_BUCKETS,
            registry=self.registry,
        )
        self.outbox = Gauge(
            "pivotbot_outbox_deliveries",
            "Deliveries not yet final (pending, retry, sending), by status.",
            ["status"],
            registry=self.registry,
        )
        self.oldest_due = Gauge(
            "pivotbot_outbox_oldest_due_seconds",
            "How long the longest-waiting delivery that is due has waited; 0 when none is.",
            registry=self.registry,
        )

    def command_answered(
        self, platform: str, command: str, outcome: ReplyOutcome, seconds: float
    ) -> None:
        self.command_seconds.labels(platform, command).observe(seconds)
        self.replies.labels(platform, outcome.value).inc()

    def delivery_recorded(self, kind: str, status: str) -> None:
        self.deliveries.labels(kind, status).inc()

    def sent(self, platform: str, seconds: float) -> None:
        self.send_seconds.labels(platform).observe(seconds)

    def rate_limit_wait(self, platform: str, limit: RateLimit, seconds: float) -> None:
        self.rate_limit_waits.labels(platform, limit.value).observe(seconds)

    async def read_outbox(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        async with sessions() as session:
            depth = await outbox_depth(session, clock.now())
        for status, count in depth.by_status.items():
            self.outbox.labels(status.value).set(count)
        self.oldest_due.set(depth.oldest_due_seconds)


def metrics_routes(
    telemetry: PrometheusTelemetry, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> list[web.RouteDef]:
    async def metrics(_request: web.Request) -> web.Response:
        try:
            await telemetry.read_outbox(sessions, clock)
        except Exception as exc:  # the database is down: still serve what this replica knows
            telemetry.outbox.clear()
            telemetry.oldest_due.set(float("nan"))
            log.warning("metrics: cannot read the outbox: %s", exc)
        body = generate_latest(telemetry.registry)
        response = web.Response(body=body)
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    return [web.get(METRICS_PATH, metrics)]
