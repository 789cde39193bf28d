"""An organiser's cohort commands on Discord: subcommands with the options the specs give
them, the delete button, and the digest's "followed up" button pressed in a DM."""

from __future__ import annotations

from datetime import timedelta

from adapters.discord_adapter.service import DiscordService
from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from scheduler.jobs import DueJobs
from testkit.discord_payloads import ChannelRef
from testkit.fake_discord import FakeDiscord
from tests.conftest import START
from tests.support.discord_driver import (
    A_SPRING,
    ADA,
    DM_CHANNEL,
    OLGA,
    SAM,
    DiscordDriver,
    message_text,
)


async def _spring(discord_bot: DiscordDriver) -> None:
    channel = ChannelRef(A_SPRING, "pivot-spring")
    await discord_bot.slash("cohort create", by=OLGA, name="spring", channel=channel)
    await discord_bot.slash("join", by=ADA, cohort="spring")


async def test_rename_archive_and_delete_on_discord(discord_bot: DiscordDriver) -> None:
    await _spring(discord_bot)
    spaced = await discord_bot.slash("cohort create", by=OLGA, name="Spring 2027")
    assert spaced.text.startswith(
        "A cohort name is one word of 2-40 lowercase letters, digits or dashes; "
        "`Spring 2027` has a space, so try `spring-2027`. Expected `/pivot cohort create <name>"
    )
    renamed = await discord_bot.slash("cohort rename", by=OLGA, old="spring", new="spring-2027")
    assert renamed.text.startswith("Renamed cohort spring to spring-2027.")
    archived = await discord_bot.slash("cohort archive", by=OLGA, name="spring-2027")
    assert "Archived cohort spring-2027" in archived.text
    status = await discord_bot.slash("status", by=ADA)
    assert "haven't joined" in status.text
    asked = await discord_bot.slash("cohort delete", by=OLGA, name="spring-2027")
    assert "This deletes cohort spring-2027 for good" in asked.text
    assert asked.labels == ["Delete cohort spring-2027"]
    done = await discord_bot.press(asked.as_message(), "Delete cohort spring-2027", by=OLGA)
    assert done.text == "Done: cohort spring-2027 is deleted."
    listed = await discord_bot.slash("cohort list", by=OLGA)
    assert "No cohorts yet" in listed.text


async def test_the_last_admin_is_told_to_add_another_first(discord_bot: DiscordDriver) -> None:
    await _spring(discord_bot)
    refused = await discord_bot.slash("cohort admin", by=OLGA, action="remove", user=OLGA)
    assert refused.text.startswith("Olga is the last admin of cohort spring")


async def test_followed_up_is_pressed_in_the_digest_dm_by_an_admin_in_no_cohort(
    discord_bot: DiscordDriver,
    discord_service: DiscordService,
    fake_discord: FakeDiscord,
    core: PivotCore,
    clock: ManualClock,
    content: ContentLibrary,
) -> None:
    await _spring(discord_bot)
    await discord_bot.slash("cohort admin", by=OLGA, action="add", user=SAM)  # not a member
    jobs = DueJobs(core.sessions, clock, content, {"discord": discord_service.outbox})
    monday = START + timedelta(minutes=30)
    for week in range(4):  # three nudges to Ada, the quiet note, then the Friday digest
        clock.set(monday + timedelta(weeks=week))
        await jobs.run_due()
        clock.advance(timedelta(days=4, hours=7))
        await jobs.run_due()
    (digest,) = fake_discord.messages_to(fake_discord.dm_channel_of(SAM.id))
    assert "Newly quiet for three weeks or more: Ada" in message_text(digest.body)
    shown = fake_discord.message(DM_CHANNEL, digest.body, {})
    pressed = await discord_bot.press(
        shown, "Followed up Ada", by=SAM, in_guild=None, in_channel=DM_CHANNEL
    )
    assert pressed.text.startswith("Noted: you followed up Ada.")
