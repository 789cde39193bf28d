"""``pivotbot serve`` with Discord settings, as a process, against a fake Discord on loopback:
login, command sync, the gateway handshake, interactions in, answers out, a clean stop."""

from __future__ import annotations

import asyncio
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
from tests.support.serve_process import STARTUP_LIMIT, ServeProcess


async def serve(database_url: str, fake: FakeDiscord, tmp_path: Path, token: str) -> ServeProcess:
    settings = {
        "DATABASE_URL": database_url,
        "DISCORD_TOKEN": token,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GUILD_IDS": str(GUILD_A),
        "LOG_LEVEL": "INFO",
    }
    return await ServeProcess.start(settings, tmp_path, "serve")


@pytest.fixture
async def serving(
    database_url: str, engine: AsyncEngine, fake_discord: FakeDiscord, tmp_path: Path
) -> AsyncIterator[ServeProcess]:
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
    serving: ServeProcess, fake_discord: FakeDiscord, engine: AsyncEngine
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
    serving: ServeProcess, fake_discord: FakeDiscord
) -> None:
    await serving.logged("Discord ready as pivotbot")
    await fake_discord.gateway.close(4004, "Authentication failed.")
    assert await serving.exited() == 0  # a clean stop, not a process that serves nothing
    log = serving.log.read_text()
    assert "CRITICAL adapters.discord_adapter.service: the Discord connection ended" in log
