"""The Discord adapter against a fake Discord on loopback, with two guilds and four people."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.discord_adapter.service import DiscordService
from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from testkit.fake_discord import FakeDiscord
from tests.support.discord_driver import (
    GUILD_A,
    GUILD_B,
    DiscordDriver,
    running_fake_discord,
    started,
)


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
def discord_inputs(
    core: PivotCore, discord_settings: Settings, lookups: AsyncEngine
) -> PlatformInputs:
    return PlatformInputs(core, discord_settings, lookups)


@pytest.fixture
async def discord_service(discord_inputs: PlatformInputs) -> AsyncIterator[DiscordService]:
    service = await started(discord_inputs)
    yield service
    await service.stop()


@pytest.fixture
async def connected(
    discord_inputs: PlatformInputs, fake_discord: FakeDiscord
) -> AsyncIterator[DiscordService]:
    """A service started for real: login, command sync per guild, gateway READY."""
    settings = discord_inputs.settings.model_copy(
        update={"discord_guild_ids": f"{GUILD_A},{GUILD_B}"}
    )
    inputs = PlatformInputs(discord_inputs.core, settings, discord_inputs.lookups)
    service = DiscordService(inputs, guild_ready_timeout=0.05)
    await service.start()
    yield service
    await service.stop()


@pytest.fixture
def discord_bot(discord_service: DiscordService, fake_discord: FakeDiscord) -> DiscordDriver:
    return DiscordDriver(discord_service, fake_discord)
