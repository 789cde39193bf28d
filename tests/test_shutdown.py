"""Stopping ``pivotbot serve`` mid-fan-out: it finishes the sends in flight, gives every other
claimed delivery back at once (no lease left to expire), and exits; the next start sends the
rest, and nobody hears anything twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import SystemClock
from bot.core import PivotCore
from bot.db.models import Delivery
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import SIGNING_SECRET
from tests.support.queued_dms import enqueue_nudges
from tests.support.serve_process import ServeProcess
from tests.support.slack_harness import BOT_TOKEN, start_fake_slack

MESSAGES = 40


@pytest.fixture
async def slow_slack() -> AsyncIterator[FakeSlack]:
    fake = await start_fake_slack()
    fake.delay = 0.1  # a DM takes two calls: 0.2 s each
    yield fake
    await fake.stop()


async def _by_status(core: PivotCore) -> dict[str, int]:
    async with core.sessions() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return {str(status): count for status, count in rows}


async def _held(core: PivotCore) -> int:
    async with core.sessions() as session:
        query = select(func.count()).where(Delivery.lease_owner.is_not(None))
        return int(await session.scalar(query) or 0)


def _posts(fake: FakeSlack) -> Counter[str]:
    return Counter(str(call.args["channel"]) for call in fake.calls_to("chat.postMessage"))


async def test_stopping_mid_fan_out_gives_claims_back_and_the_next_start_sends_the_rest(
    core: PivotCore, database_url: str, slow_slack: FakeSlack, tmp_path: Path
) -> None:
    # Due now for the process, which runs on the real clock.
    await enqueue_nudges(
        core, MESSAGES, SystemClock().now(), platform="slack", tenant="T1", user_prefix="U"
    )
    settings = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slow_slack.api_url,
        "SLACK_SEND_RATE_PER_WORKSPACE": "1000",
        "SLACK_SEND_RATE_TOTAL": "1000",
        "DELIVERY_CONCURRENCY": "2",
        "LOG_LEVEL": "INFO",
    }
    first = await ServeProcess.start(settings, tmp_path, "first")
    await first.ready()
    await slow_slack.wait_for(lambda: len(_posts(slow_slack)) >= 3, "the fan-out under way")
    assert await first.stop() == 0
    stopped_with = _posts(slow_slack)
    statuses = await _by_status(core)
    assert await _held(core) == 0  # every lease given back, none left to expire
    assert "sending" not in statuses
    assert statuses["sent"] == len(stopped_with)  # each send finished was recorded
    assert statuses["pending"] == MESSAGES - len(stopped_with) > 0
    log = first.log.read_text()
    assert "shutting down: no new requests" in log
    assert "Traceback" not in log

    second = await ServeProcess.start(settings, tmp_path, "second")
    try:
        await second.ready()
        await slow_slack.wait_for(lambda: len(_posts(slow_slack)) == MESSAGES, "every DM")
    finally:
        assert await second.stop() == 0
    assert set(_posts(slow_slack).values()) == {1}  # nobody twice
    assert await _by_status(core) == {"sent": MESSAGES}
