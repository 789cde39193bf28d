"""Slash commands in guilds and DMs: the guild is the tenant, replies are personal."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db.models import Checkin, Cohort, Tenant
from testkit.discord_payloads import ChannelRef
from tests.support.discord_driver import (
    A_SPRING,
    ADA,
    BEA,
    GUILD_B,
    OLGA,
    SAM,
    DiscordDriver,
)


async def test_slash_command_with_options_checks_in_and_answers_privately(
    discord_bot: DiscordDriver, engine: AsyncEngine
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    answer = await discord_bot.slash(
        "checkin", by=ADA, hours="6h", summary="shipped the flask service", confidence=4
    )
    assert answer.kind == 4
    assert answer.ephemeral
    assert "Checked in for 2026-W49: 6h — shipped the flask service" in answer.text
    assert "Confidence: 4/5" in answer.text
    async with engine.connect() as connection:
        hours = await connection.scalar(select(Checkin.hours))
    assert hours == 6.0


async def test_two_guilds_see_only_their_own_cohorts(
    discord_bot: DiscordDriver, engine: AsyncEngine
) -> None:
    await discord_bot.slash(
        "cohort create", by=OLGA, name="spring", channel=ChannelRef(A_SPRING, "pivot-spring")
    )
    await discord_bot.slash("cohort create", by=BEA, name="autumn", in_guild=GUILD_B)
    acme = await discord_bot.slash("cohort list", by=OLGA)
    beta = await discord_bot.slash("cohort list", by=BEA, in_guild=GUILD_B)
    assert "spring" in acme.text
    assert "autumn" not in acme.text
    assert "autumn" in beta.text
    assert "spring" not in beta.text
    async with engine.connect() as connection:
        tenants = set(await connection.scalars(select(Tenant.external_id)))
        cohort_tenants = (
            await connection.execute(select(Cohort.name, Tenant.external_id).join(Tenant))
        ).all()
    assert {"700000000000000001", "700000000000000002"} <= tenants
    assert sorted(cohort_tenants) == [
        ("autumn", "700000000000000002"),
        ("spring", "700000000000000001"),
    ]


async def test_member_without_manage_server_cannot_create_a_cohort(
    discord_bot: DiscordDriver,
) -> None:
    answer = await discord_bot.slash("cohort create", by=SAM, name="spring")
    assert answer.ephemeral
    assert answer.text == "Only cohort admins can run `cohort create`."


async def test_export_answers_with_the_json_file(discord_bot: DiscordDriver) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    answer = await discord_bot.slash("export", by=ADA)
    assert answer.ephemeral
    (name,) = answer.files
    assert name == f"pivotbot-export-{ADA.id}.json"
    assert b'"display_name": "Ada"' in answer.files[name]


def test_a_mistyped_guild_id_list_stops_the_bot_at_start_with_its_name() -> None:
    with pytest.raises(ValidationError, match="comma list of Discord server ids"):
        Settings(_env_file=None, discord_guild_ids="123, my-server")  # type: ignore[call-arg]
    ok = Settings(_env_file=None, discord_guild_ids=" 123 , 456,")  # type: ignore[call-arg]
    assert ok.guild_ids == (123, 456)


async def test_cohort_list_names_its_admins_rather_than_showing_their_ids(
    discord_bot: DiscordDriver,
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    listing = await discord_bot.slash("cohort list", by=OLGA)
    assert "admins: Olga" in listing.text
    assert str(OLGA.id) not in listing.text


async def test_a_timezone_that_names_a_folder_is_answered_in_one_line(
    discord_bot: DiscordDriver,
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    answer = await discord_bot.slash("settings tz", by=ADA, tz="America/Indiana")
    assert answer.ephemeral
    assert answer.text.startswith("tz must be a timezone like Europe/Berlin")
