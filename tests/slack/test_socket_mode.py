"""Socket Mode, for organisers without a public URL: the same /pivot over a WebSocket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import slash_command
from tests.slack.conftest import slack_settings
from tests.support.slack_harness import SlackHarness, start_slack


@pytest.fixture
async def socket_slack(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> AsyncIterator[SlackHarness]:
    configured = slack_settings(
        settings, fake_slack, slack_signing_secret=None, slack_app_token="xapp-1-test"
    )
    harness = await start_slack(PlatformInputs(core, configured, lookups), fake_slack)
    yield harness
    await harness.stop()


async def test_socket_mode_connects_through_slack_api_url_with_the_app_token(
    socket_slack: SlackHarness,
) -> None:
    (opened,) = socket_slack.fake.calls_to("apps.connections.open")
    assert opened.token == "xapp-1-test"


async def test_slash_command_over_the_socket_is_acked_then_answered(
    socket_slack: SlackHarness,
) -> None:
    fake = socket_slack.fake
    payload = dict(parse_qsl(slash_command("help", response_url=fake.response_url("socket"))))
    ack = await fake.push({"envelope_id": "env-1", "type": "slash_commands", "payload": payload})
    assert ack["envelope_id"] == "env-1"
    (reply,) = await fake.wait_for_responses("socket")
    assert "/pivot join" in reply.body["text"]


async def test_socket_mode_serves_no_events_url(socket_slack: SlackHarness) -> None:
    async with socket_slack.http.post(socket_slack.url + "/slack/events", data="x") as response:
        assert response.status == web.HTTPNotFound.status_code
