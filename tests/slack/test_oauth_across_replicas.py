"""Two replicas behind one load balancer: an install begun on one finishes on the other, and
the workspace it adds is served by both (the OAuth state and the installations are rows)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from testkit.fake_slack import FakeSlack
from tests.support.slack_harness import SlackHarness, slack_settings, start_slack


@pytest.fixture
async def replicas(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> AsyncIterator[list[SlackHarness]]:
    oauth = slack_settings(
        settings,
        fake_slack,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
    )
    started = [await start_slack(PlatformInputs(core, oauth, lookups), fake_slack) for _ in "ab"]
    yield started
    for harness in started:
        await harness.stop()


async def test_an_install_begun_on_one_replica_finishes_on_the_other(
    replicas: list[SlackHarness], fake_slack: FakeSlack
) -> None:
    first, second = replicas
    fake_slack.team_of_code["code-T7"] = "T7"
    async with first.http.get(first.url + "/slack/install") as page:
        state = re.search(r"state=([^&\"]+)", await page.text())
        cookie = page.headers["Set-Cookie"].split(";")[0]
    assert state is not None
    redirect = f"{second.url}/slack/oauth_redirect?code=code-T7&state={state[1]}"
    async with second.http.get(redirect, headers={"Cookie": cookie}) as done:
        assert done.status == 200, await done.text()
    created = await first.command("/pivot cohort create gamma", user="UOLGA", team="T7")
    joined = await second.command("/pivot join gamma", team="T7")
    assert "Created cohort gamma" in created.text
    assert "Welcome to cohort gamma" in joined.text
