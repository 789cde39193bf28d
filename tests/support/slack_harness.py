"""The real Slack service on a real loopback port, driven by signed HTTP requests.

Tests read like a conversation: ``reply = await slack.command("/pivot status")`` sends a
signed slash command to ``/slack/events`` and returns what arrived at its response URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from adapters.platform_service import PlatformInputs
from adapters.slack_adapter.service import SlackService
from app.probes import Readiness, probe_routes
from bot.config import Settings
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import (
    JSON,
    SIGNING_SECRET,
    event_callback,
    interaction,
    next_id,
    signed_headers,
    slash_command,
)


@dataclass
class SlackReply:
    """What a member saw: the body posted to the response URL."""

    body: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.body.get("blocks", []))

    @property
    def ephemeral(self) -> bool:
        return self.body.get("response_type") == "ephemeral"

    def button(self, label: str) -> tuple[dict[str, Any], str]:
        """The rendered button with this label, and the block id it sits in."""
        for block in self.blocks:
            for element in block.get("elements", []):
                if element.get("type") == "button" and element["text"]["text"] == label:
                    return element, block["block_id"]
        raise AssertionError(f"no button {label!r} in {self.blocks}")


@dataclass
class SlackHarness:
    fake: FakeSlack
    service: SlackService
    url: str
    http: aiohttp.ClientSession
    runner: web.AppRunner

    async def post(self, path: str, body: str, headers: dict[str, str]) -> aiohttp.ClientResponse:
        async with self.http.post(self.url + path, data=body, headers=headers) as response:
            await response.read()
            return response

    async def send_command(self, text: str, **fields: str) -> tuple[aiohttp.ClientResponse, str]:
        """POST a signed slash command; return the HTTP answer and the response URL's key."""
        key = next_id("r")
        text = text.removeprefix("/pivot").strip()
        body = slash_command(text, response_url=self.fake.response_url(key), **fields)
        return await self.post("/slack/events", body, signed_headers(body)), key

    async def command(self, text: str, **fields: str) -> SlackReply:
        """Run ``/pivot ...`` and return the reply that arrived at its response URL."""
        response, key = await self.send_command(text, **fields)
        assert response.status == 200, response.status
        return SlackReply((await self.fake.wait_for_responses(key))[0].body)

    async def interact(self, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        body = interaction(payload)
        return await self.post("/slack/events", body, signed_headers(body))

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str,
        retry_num: int | None = None,
        team: str = "T1",
    ) -> aiohttp.ClientResponse:
        body = event_callback(event, team=team, event_id=event_id)
        return await self.post(
            "/slack/events", body, signed_headers(body, JSON, retry_num=retry_num)
        )

    async def install(self, team: str) -> None:
        """Install the app in ``team`` through the OAuth pages, as an organiser's browser does."""
        code = f"code-{team}"
        self.fake.team_of_code[code] = team
        async with self.http.get(self.url + "/slack/install") as page:
            assert page.status == 200, page.status
            state = re.search(r"state=([^&\"]+)", await page.text())
            # The state cookie is marked Secure; a browser on https sends it back, so do we.
            cookie = page.headers["Set-Cookie"].split(";")[0]
        assert state is not None
        redirect = f"{self.url}/slack/oauth_redirect?code={code}&state={state[1]}"
        async with self.http.get(redirect, headers={"Cookie": cookie}) as done:
            assert done.status == 200, await done.text()

    async def settled(self) -> None:
        """Wait until every reply the adapter started after an ack has been sent, and the
        App Home refreshes it has waiting (started at once rather than after their pause)."""
        await self.service.settled()

    async def stop(self) -> None:
        await self.http.close()
        await self.service.stop()
        await self.runner.cleanup()


BOT_TOKEN = "xoxb-test"


def slack_settings(settings: Settings, fake: FakeSlack, **changes: object) -> Settings:
    """``settings`` for one workspace in HTTP mode, with its Web API at ``fake``."""
    update = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        **changes,
    }
    return settings.model_copy(update=update)


async def start_fake_slack() -> FakeSlack:
    """The fake Web API for workspace T1: olga (a workspace admin), ada, grace and #pivot-spring."""
    fake = await FakeSlack().start()
    fake.add_user("UOLGA", "Olga", admin=True)
    fake.add_user("UADA", "Ada")
    fake.add_user("UGRACE", "Grace")
    fake.channels["CSPRING"] = {
        "id": "CSPRING",
        "name": "pivot-spring",
        "is_member": True,
        "is_archived": False,
    }
    return fake


async def start_slack(inputs: PlatformInputs, fake: FakeSlack) -> SlackHarness:
    """What ``pivotbot serve`` does for Slack, on a free loopback port."""
    service = SlackService(inputs)
    readiness = Readiness(inputs.lookups, [service])
    app = web.Application()
    app.add_routes(probe_routes(readiness))
    service.add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    await service.start()
    readiness.started()
    port = runner.addresses[0][1]
    http = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
    return SlackHarness(fake, service, f"http://127.0.0.1:{port}", http, runner)
