"""What an operator sees: ``/metrics`` after real work, ``/readyz`` while platforms come and go,
and JSON log lines that say what they are about but never what a member wrote."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from adapters.platform_service import PlatformInputs
from app.logs import JsonFormatter
from app.metrics import PrometheusTelemetry, metrics_routes
from app.probes import Readiness, probe_routes
from bot.clock import ManualClock
from bot.commands.catalogue import default_registry
from bot.commands.spec import Arg, ArgKind, CommandSpec, Context, Registry
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.engine import create_engine
from bot.messages import Invocation, Reply
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from testkit.fake_slack import FakeSlack
from testkit.outboxes import RecordingOutbox
from tests.support.slack_harness import slack_settings, start_fake_slack, start_slack

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def serving(routes: list[web.RouteDef]) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def telemetry() -> PrometheusTelemetry:
    return PrometheusTelemetry()


@pytest.fixture
def measured(core: PivotCore, telemetry: PrometheusTelemetry) -> PivotCore:
    core.telemetry = telemetry
    return core


async def test_metrics_count_answers_by_outcome_and_deliveries_by_kind(
    measured: PivotCore,
    clock: ManualClock,
    content: ContentLibrary,
    telemetry: PrometheusTelemetry,
) -> None:
    bot = BotDriver(measured, clock, admins={"olga"})
    await bot.say("/pivot cohort create spring #pivot-spring", as_="olga")
    await bot.say("/pivot join", as_="ada")
    await bot.say("/pivot status", as_="ada")
    await bot.say("/pivot chekin 3h typo", as_="ada")
    await bot.say("/pivot checkin three hours", as_="ada")
    clock.advance(timedelta(weeks=1))  # ada's next Monday: her nudge is due
    outbox = RecordingOutbox()
    jobs = DueJobs(measured.sessions, clock, content, {"console": outbox}, telemetry=telemetry)
    planned = await jobs.plan()
    clock.advance(timedelta(minutes=5))
    runner, url = await serving(metrics_routes(telemetry, measured.sessions, clock))
    try:
        status, before = await get(url + "/metrics")
        await jobs.deliver()
        _, after = await get(url + "/metrics")
    finally:
        await runner.cleanup()
    assert status == 200
    found = samples(before)
    assert value(found, "pivotbot_replies_total", platform="console", outcome="ok") == 3
    assert value(found, "pivotbot_replies_total", platform="console", outcome="usage_error") == 2
    assert value(found, "pivotbot_command_seconds_count", platform="console", command="join") == 1
    assert value(found, "pivotbot_command_seconds_count", platform="console", command="unknown")
    assert value(found, "pivotbot_outbox_deliveries", status="pending") == planned.total
    assert value(found, "pivotbot_outbox_oldest_due_seconds") == 300
    done = samples(after)
    assert value(done, "pivotbot_deliveries_total", kind="nudge", status="sent") == 1
    assert value(done, "pivotbot_send_seconds_count", platform="console") == planned.total
    assert value(done, "pivotbot_outbox_deliveries", status="pending") == 0
    assert value(done, "pivotbot_outbox_oldest_due_seconds") == 0
    assert [text for _, text in outbox.sent if "check-in" in text]


def _core_with(core: PivotCore, handler: Callable[[Invocation, Context], Reply]) -> PivotCore:
    async def run(inv: Invocation, ctx: Context) -> Reply:
        return handler(inv, ctx)

    note = Arg("note", ArgKind.TEXT, "anything", max_length=300)
    spec = CommandSpec(
        name="explode",
        summary="fails",
        example="/pivot explode x",
        args=(note,),
        handler=run,
        needs_member=False,
    )
    registry = Registry([*default_registry().specs, spec])
    return PivotCore(core.sessions, core.clock, core.content, core.settings, registry)


def _fails_quoting(inv: Invocation, ctx: Context) -> Reply:
    raise ValueError(f"cannot read {ctx.args.text('note')!r}")


async def test_a_bug_is_counted_and_its_json_log_line_names_the_request_not_the_words(
    core: PivotCore, clock: ManualClock, telemetry: PrometheusTelemetry
) -> None:
    words = "explode my manager said no to the rotation"
    broken = _core_with(core, _fails_quoting)
    broken.telemetry = telemetry
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        reply = await BotDriver(broken, clock).say(f"/pivot {words}", as_="ada")
    finally:
        logging.getLogger().removeHandler(handler)
    assert reply.is_error, reply.text
    assert "Something went wrong" in reply.text, reply.text
    [line] = [json.loads(text) for text in captured.getvalue().splitlines()]
    assert line["level"] == "ERROR"
    assert line["command"] == "explode"
    assert line["platform"] == "console"
    assert line["tenant"]
    assert line["request_id"]
    assert "ValueError" in line["exception"]
    assert "manager said no" not in captured.getvalue()
    assert "[member text]" in line["exception"]
    found = samples(_metrics_text(telemetry))
    assert value(found, "pivotbot_replies_total", platform="console", outcome="bug") == 1


def _metrics_text(telemetry: PrometheusTelemetry) -> str:
    return generate_latest(telemetry.registry).decode()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await start_fake_slack()
    yield fake
    await fake.stop()


async def test_readyz_waits_for_slacks_auth_test_and_healthz_does_not(
    core: PivotCore, settings: Settings, fake_slack: FakeSlack, database_url: str
) -> None:
    fake_slack.fail("auth.test", "fatal_error", times=2)  # at start, and at the first probe
    lookups = create_engine(database_url, immediate=False)
    harness = await start_slack(
        PlatformInputs(core, slack_settings(settings, fake_slack), lookups), fake_slack
    )
    try:
        health, _ = await get(harness.url + "/healthz")
        not_yet, why = await get(harness.url + "/readyz")
        ready, _ = await get(harness.url + "/readyz")  # auth.test answers this time
    finally:
        await harness.stop()
        await lookups.dispose()
    assert health == 200
    assert not_yet == 503
    assert json.loads(why)["reason"] == "slack: auth.test has not succeeded yet"
    assert ready == 200


async def test_readyz_says_no_while_starting_or_stopping_and_when_the_database_is_gone(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'gone.db'}")
    readiness = Readiness(engine, [])
    runner, url = await serving(probe_routes(readiness))
    try:
        starting = await get(url + "/readyz")
        readiness.started()
        gone = await get(url + "/readyz")
        health = await get(url + "/healthz")
        readiness.stopping()
        stopping = await get(url + "/readyz")
    finally:
        await runner.cleanup()
        await engine.dispose()
    assert (starting[0], json.loads(starting[1])["reason"]) == (503, "starting")
    assert (gone[0], json.loads(gone[1])["reason"]) == (503, "the database does not answer")
    assert health[0] == 503
    assert (stopping[0], json.loads(stopping[1])["reason"]) == (503, "shutting down")


@pytest.mark.parametrize(
    ("shards", "line"),
    [
        (
            {"DISCORD_SHARD_IDS": "0"},
            "pivotbot: bad settings: Value error, DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, "
            "e.g. DISCORD_SHARD_COUNT=2 with DISCORD_SHARD_IDS=0",
        ),
        (
            {"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1,2"},
            "pivotbot: bad settings: Value error, DISCORD_SHARD_IDS names shard 2, but shards are "
            "numbered 0 to 1 (DISCORD_SHARD_COUNT=2)",
        ),
        (
            {"DISCORD_SHARD_IDS": "first"},
            "pivotbot: bad setting DISCORD_SHARD_IDS: Value error, expected a comma list of shard "
            "numbers like 0,1 or none, not 'first'",
        ),
    ],
)
def test_shard_settings_that_cannot_work_stop_the_start_with_one_line(
    shards: dict[str, str], line: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    env.update(DISCORD_TOKEN="token", **shards)
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == line


def test_the_example_env_file_is_a_valid_configuration() -> None:
    settings = Settings(_env_file=Path(__file__).resolve().parents[1] / ".env.example")  # type: ignore[call-arg]
    assert settings.shard_ids is None
    assert settings.runs_gateway
    assert settings.log_format == "text"
