"""``pivotbot serve`` as operators run it: a separate process, Slack over real HTTP."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from testkit.fake_slack import FakeSlack
from testkit.slack_requests import SIGNING_SECRET, next_id, signed_headers, slash_command

STARTUP_LIMIT = 60.0  # only so a broken start fails the test instead of hanging it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def slack_env(tmp_path: Path, fake: FakeSlack) -> dict[str, str]:
    """The environment of a pivotbot process on this test's database, talking to the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'pivotbot.db'}",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=fake.api_url,
    )
    return env


@pytest.fixture
async def served(tmp_path: Path, fake_slack: FakeSlack) -> AsyncIterator[str]:
    port = free_port()
    env = slack_env(tmp_path, fake_slack)
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    pivotbot = Path(sys.executable).with_name("pivotbot")
    process = await asyncio.create_subprocess_exec(
        str(pivotbot), "serve", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await asyncio.wait_for(_healthy(url, process), STARTUP_LIMIT)
        yield url
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    logged = err.decode()
    assert " WARNING " not in logged, logged  # nothing an operator would have to look into
    assert " ERROR " not in logged, logged


async def _healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as http:
        while process.returncode is None:
            try:
                async with http.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"pivotbot serve exited with {process.returncode}")


async def pivot(url: str, fake: FakeSlack, text: str, user: str = "UADA") -> str:
    key = next_id("serve")
    body = slash_command(text, response_url=fake.response_url(key), user=user)
    async with (
        aiohttp.ClientSession() as http,
        http.post(url + "/slack/events", data=body, headers=signed_headers(body)) as response,
    ):
        assert response.status == 200
    (reply,) = await fake.wait_for_responses(key)
    return str(reply.body["text"])


async def test_pivotbot_serve_runs_a_members_week_over_http(
    served: str, fake_slack: FakeSlack
) -> None:
    async with aiohttp.ClientSession() as http, http.get(served + "/healthz") as health:
        assert health.status == 200
        assert (await health.json())["database"] == "up"
    created = await pivot(served, fake_slack, "cohort create spring", user="UOLGA")
    joined = await pivot(served, fake_slack, "join")
    checked_in = await pivot(served, fake_slack, "checkin 5h read the payments service | none")
    status = await pivot(served, fake_slack, "status")
    assert "Created cohort spring" in created
    assert "Welcome to cohort spring, Ada!" in joined
    assert "5h — read the payments service" in checked_in
    assert "Streak: 1 week · checked in this week" in status


async def test_jobs_run_due_delivers_nudges_as_conversations_open_and_post_message(
    served: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    await pivot(served, fake_slack, "cohort create spring", user="UOLGA")
    await pivot(served, fake_slack, "join")
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=7 - today.weekday())  # next Monday, after joining
    env = slack_env(tmp_path, fake_slack)
    pivotbot = Path(sys.executable).with_name("pivotbot")
    run = await asyncio.create_subprocess_exec(
        str(pivotbot),
        "jobs",
        "run-due",
        "--now",
        f"{monday.isoformat()}T10:00",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await run.communicate()
    assert run.returncode == 0, err.decode()
    # Depending on the weekday the test runs, the cohort's Friday post time may fall between
    # joining and that Monday, which also plans its one-time "no channel" note to the admin:
    # only the nudge is this test's business.
    summary = dict(line.split(": ", 1) for line in out.decode().splitlines() if ": " in line)
    assert "1 nudge" in summary["planned"].split(", ")
    assert all(part.endswith(" sent") for part in summary["delivered"].split(", "))
    opened = [c for c in fake_slack.calls_to("conversations.open") if c.args["users"] == "UADA"]
    assert len(opened) == 1
    posts = [c for c in fake_slack.calls_to("chat.postMessage") if "check-in" in str(c.args)]
    assert len(posts) == 1
    assert "how did last week" in str(posts[0].args["text"])  # Monday: the week just ended


async def test_pivotbot_serve_opens_the_dashboard_link_it_gave(
    served: str, fake_slack: FakeSlack
) -> None:
    """The link starts with PUBLIC_URL's default, http://localhost:<PORT>, where serve is."""
    await pivot(served, fake_slack, "cohort create spring", user="UOLGA")
    text = await pivot(served, fake_slack, "cohort dashboard", user="UOLGA")
    port = served.rsplit(":", 1)[1]
    match = re.search(rf"http://localhost:{port}(/p/\S+)", text)
    assert match is not None, text
    async with aiohttp.ClientSession() as http:
        async with http.get(served + match[1]) as page:
            assert page.status == 200
            assert "spring" in await page.text()
            assert page.headers["X-Frame-Options"] == "DENY"
        async with http.get(served + "/p/" + "x" * 22 + ".abc." + "y" * 43) as forged:
            assert forged.status == 403
