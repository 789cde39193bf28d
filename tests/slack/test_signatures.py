"""Only requests signed with the signing secret, and fresh, get through to /slack/events."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from bot.db.models import Tenant
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import (
    FORM,
    JSON,
    signature,
    signed_headers,
    slash_command,
)
from tests.slack.conftest import slack_settings
from tests.support.slack_harness import SlackHarness, start_slack

# Slack's worked example ("Verifying requests from Slack"), as python-slack-sdk's own
# tests/slack_sdk/signature/test_signature_verifier.py quotes it.
EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
EXAMPLE_TIMESTAMP = "1531420618"
EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
    "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
    "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
    "trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


@pytest.fixture
async def example_app(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> SlackHarness:
    configured = slack_settings(settings, fake_slack, slack_signing_secret=EXAMPLE_SECRET)
    harness = await start_slack(PlatformInputs(core, configured, lookups), fake_slack)
    yield harness
    await harness.stop()


def test_slacks_worked_signature_example_gives_the_documented_signature() -> None:
    assert signature(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, EXAMPLE_BODY) == EXAMPLE_SIGNATURE


async def test_slacks_worked_example_passes_verification_once_it_is_fresh(
    example_app: SlackHarness,
) -> None:
    headers = signed_headers(EXAMPLE_BODY, secret=EXAMPLE_SECRET)
    response = await example_app.post("/slack/events", EXAMPLE_BODY, headers)
    assert response.status == 404  # verified, then unhandled: /webhook-collect is not ours


async def test_slacks_worked_example_as_sent_in_2018_is_too_old(example_app: SlackHarness) -> None:
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": EXAMPLE_TIMESTAMP,
        "X-Slack-Signature": EXAMPLE_SIGNATURE,
    }
    response = await example_app.post("/slack/events", EXAMPLE_BODY, headers)
    assert response.status == 401


async def test_forged_signature_gets_401_and_runs_nothing(
    slack: SlackHarness, engine: AsyncEngine
) -> None:
    body = slash_command("cohort create sneaky", response_url=slack.fake.response_url("forged"))
    response = await slack.post("/slack/events", body, signed_headers(body, secret="guessed"))
    assert response.status == 401
    await slack.settled()
    assert slack.fake.responses == []
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(Tenant)) == 0


async def test_body_changed_after_signing_gets_401(slack: SlackHarness) -> None:
    body = slash_command("status", response_url=slack.fake.response_url("tampered"))
    headers = signed_headers(body)
    response = await slack.post("/slack/events", body.replace("status", "leave"), headers)
    assert response.status == 401


async def test_request_older_than_five_minutes_gets_401(slack: SlackHarness) -> None:
    body = slash_command("status", response_url=slack.fake.response_url("stale"))
    stale = int(time.time()) - 6 * 60
    response = await slack.post("/slack/events", body, signed_headers(body, timestamp=stale))
    assert response.status == 401


async def test_request_without_a_signature_gets_401(slack: SlackHarness) -> None:
    body = slash_command("status", response_url=slack.fake.response_url("unsigned"))
    response = await slack.post("/slack/events", body, {"Content-Type": FORM})
    assert response.status == 401


async def test_slacks_request_url_check_is_answered_with_its_challenge(slack: SlackHarness) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"})
    async with slack.http.post(
        slack.url + "/slack/events", data=body, headers=signed_headers(body, JSON)
    ) as response:
        assert response.status == 200
        assert (await response.json())["challenge"] == challenge
