"""Slack fixtures: the fake Web API, and the real Slack service on loopback in front of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from testkit.fake_slack import FakeSlack
from tests.support.slack_harness import (
    SlackHarness,
    slack_settings,
    start_fake_slack,
    start_slack,
)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await start_fake_slack()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> AsyncIterator[SlackHarness]:
    """One workspace, T1, with SLACK_BOT_TOKEN: olga is a workspace admin, ada is not."""
    inputs = PlatformInputs(core, slack_settings(settings, fake_slack), lookups)
    harness = await start_slack(inputs, fake_slack)
    yield harness
    await harness.stop()


@pytest.fixture
async def slack_oauth(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> AsyncIterator[SlackHarness]:
    """Many workspaces: OAuth configured, no SLACK_BOT_TOKEN; nothing installed yet."""
    oauth = slack_settings(
        settings,
        fake_slack,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
    )
    harness = await start_slack(PlatformInputs(core, oauth, lookups), fake_slack)
    yield harness
    await harness.stop()


@pytest.fixture
async def spring(slack: SlackHarness) -> SlackHarness:
    """The workspace with cohort spring posting in #pivot-spring, and ada in it."""
    created = await slack.command(
        "/pivot cohort create spring <#CSPRING|pivot-spring>", user="UOLGA"
    )
    assert "Created cohort spring" in created.text, created.text
    joined = await slack.command("/pivot join spring")
    assert "Welcome to cohort spring" in joined.text, joined.text
    await slack.settled()
    return slack
