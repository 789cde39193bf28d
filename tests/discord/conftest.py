"""The Discord adapter against a fake Discord on loopback, with two guilds and four people."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from discord.gateway import DiscordWebSocket

from adapters.discord_adapter.service import DiscordService
from bot.config import Settings
from bot.core import PivotCore
from tests.support.discord_driver import (
    A_GENERAL,
    A_HIDDEN,
    A_READONLY,
    A_SPRING,
    B_GENERAL,
    GUILD_A,
    GUILD_B,
    PEOPLE,
    DiscordDriver,
)
from tests.support.fake_discord import FakeDiscord
from tests.support.fake_discord_gateway import FakeGuild

SEND_MESSAGES = discord.Permissions(send_messages=True).value


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    acme = fake.add_guild(FakeGuild(GUILD_A, "Acme"))
    acme.channel("general", A_GENERAL)
    acme.channel("pivot-spring", A_SPRING)
    acme.channel("staff-only", A_HIDDEN, visible=False)
    acme.channel("announcements", A_READONLY, bot_denied=SEND_MESSAGES)
    fake.add_guild(FakeGuild(GUILD_B, "Beta")).channel("general", B_GENERAL)
    for person in PEOPLE:
        fake.add_user(person.id, person.name)
    await fake.start()
    base, gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield fake
    discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
    await fake.stop()


@pytest.fixture
def discord_settings(settings: Settings, fake_discord: FakeDiscord) -> Settings:
    return settings.model_copy(
        update={"discord_token": "test-token", "discord_api_url": fake_discord.api_url}
    )


async def started(core: PivotCore, settings: Settings, **kwargs: float) -> DiscordService:
    """A service logged in over REST, as after a (re)start; interactions are fed in directly."""
    service = DiscordService(core, settings, guild_ready_timeout=0.05, **kwargs)
    core.directories[service.platform] = service.directory
    await service.start_outbound()
    return service


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
