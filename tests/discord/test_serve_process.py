"""``pivotbot serve`` with Discord settings, as a process, against a fake Discord on loopback:
login, command sync, the gateway handshake, interactions in, answers out, a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import Checkin
from testkit.discord_payloads import APP_ID, form, slash
from testkit.fake_discord import FakeDiscord
from tests.support.discord_driver import ADA, GUILD_A, OLGA, Answer, message_text

STARTUP_LIMIT = 30.0  # only so a broken start fails the test instead of hanging it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serving:
    def __init__(self, process: asyncio.subprocess.Process, log: Path, port: int) -> None:
        self.process = process
        self.log = log
        self.port = port

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.exited()

    async def logged(self, line: str) -> None:
        async with asyncio.timeout(STARTUP_LIMIT):
            while line not in self.log.read_text():  # noqa: ASYNC110 - a file has no event
                await asyncio.sleep(0.05)

    async def exited(self) -> int:
        async with asyncio.timeout(STARTUP_LIMIT):
            return await self.process.wait()


async def serve(database_url: str, fake: FakeDiscord, tmp_path: Path, token: str) -> Serving:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=database_url,
        DISCORD_TOKEN=token,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GUILD_IDS=str(GUILD_A),
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="INFO",
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=asyncio.subprocess.STDOUT,
        )
    return Serving(process, log, port)


@pytest.fixture
async def serving(
    database_url: str, engine: AsyncEngine, fake_discord: FakeDiscord, tmp_path: Path
) -> AsyncIterator[Serving]:
    del engine  # emptied for this test
    running = await serve(database_url, fake_discord, tmp_path, "test-token")
    try:
        async with asyncio.timeout(STARTUP_LIMIT):
            await fake_discord.gateway.identified.wait()
        yield running
    finally:
        await running.stop()


async def interact(fake: FakeDiscord, payload: dict) -> Answer:
    await fake.gateway.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    await fake.wait_for(lambda: fake.find("POST", path))
    return Answer(fake.find("POST", path), fake)


async def test_pivotbot_serve_answers_discord_end_to_end_and_stops_cleanly(
    serving: Serving, fake_discord: FakeDiscord, engine: AsyncEngine
) -> None:
    assert fake_discord.find("PUT", f"/applications/{APP_ID}/guilds/{GUILD_A}/commands")
    where = {"in_guild": GUILD_A, "in_channel": 710000000000000001}
    created = await interact(fake_discord, slash("cohort create", by=OLGA, name="spring", **where))
    assert "Created cohort spring" in created.text
    joined = await interact(fake_discord, slash("join", by=ADA, **where))
    assert "Welcome to cohort spring, Ada!" in joined.text
    opened = await interact(fake_discord, slash("checkin", by=ADA, **where))
    assert opened.kind == 9
    values = {"hours": "4h", "summary": "read the service code"}
    submitted = await interact(
        fake_discord, form(opened.callback["data"]["custom_id"], values, by=ADA, **where)
    )
    assert message_text(submitted.last).startswith("Checked in for 2026-W")
    url = f"http://127.0.0.1:{serving.port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as health:
        assert health.status == 200
    assert await serving.stop() == 0
    log = serving.log.read_text()
    assert "Traceback" not in log
    assert "Discord ready as pivotbot" in log
    async with engine.connect() as connection:
        assert await connection.scalar(select(Checkin.summary)) == "read the service code"


async def test_pivotbot_serve_with_a_rejected_token_exits_with_one_line(
    database_url: str, engine: AsyncEngine, fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    del engine
    running = await serve(database_url, fake_discord, tmp_path, "revoked-token")
    assert await running.exited() == 1
    last = running.log.read_text().strip().splitlines()[-1]
    assert last.startswith("pivotbot: Discord rejected DISCORD_TOKEN")
    assert "Traceback" not in running.log.read_text()


async def test_pivotbot_serve_stops_when_discord_ends_the_session_for_good(
    serving: Serving, fake_discord: FakeDiscord
) -> None:
    await serving.logged("Discord ready as pivotbot")
    await fake_discord.gateway.close(4004, "Authentication failed.")
    assert await serving.exited() == 0  # a clean stop, not a process that serves nothing
    log = serving.log.read_text()
    assert "CRITICAL adapters.discord_adapter.service: the Discord connection ended" in log
