"""The Discord adapter against a fake Discord on loopback, with two guilds and four people."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.discord_adapter.service import DiscordService
from bot.config import Settings
from bot.core import PivotCore
from tests.support.discord_driver import (
    GUILD_A,
    GUILD_B,
    DiscordDriver,
    running_fake_discord,
    started,
)
from tests.support.fake_discord import FakeDiscord


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    async with running_fake_discord() as fake:
        yield fake


@pytest.fixture
def discord_settings(settings: Settings, fake_discord: FakeDiscord) -> Settings:
    return settings.model_copy(
        update={"discord_token": "test-token", "discord_api_url": fake_discord.api_url}
    )


@pytest.fixture
async def discord_service(
    core: PivotCore, discord_settings: Settings
) -> AsyncIterator[DiscordService]:
    service = await started(core, discord_settings)
    yield service
    await service.stop()


@pytest.fixture
async def connected(
    core: PivotCore, discord_settings: Settings, fake_discord: FakeDiscord
) -> AsyncIterator[DiscordService]:
    """A service started for real: login, command sync per guild, gateway READY."""
    settings = discord_settings.model_copy(update={"discord_guild_ids": f"{GUILD_A},{GUILD_B}"})
    service = DiscordService(core, settings, guild_ready_timeout=0.05)
    core.directories[service.platform] = service.directory
    await service.start()
    yield service
    await service.stop()


@pytest.fixture
def discord_bot(discord_service: DiscordService, fake_discord: FakeDiscord) -> DiscordDriver:
    return DiscordDriver(discord_service, fake_discord)
