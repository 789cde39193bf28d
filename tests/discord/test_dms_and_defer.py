"""Commands in a DM find the member's guild; slow answers are deferred, then followed up."""

from __future__ import annotations

import asyncio

from adapters.platform_service import PlatformInputs
from bot.commands.catalogue import default_registry
from bot.commands.spec import CommandSpec, Context, Registry
from bot.messages import Actions, Button, Invocation, Reply, Section
from testkit.fake_discord import FakeDiscord
from tests.discord.conftest import started
from tests.support.discord_driver import (
    ADA,
    BEA,
    DM_CHANNEL,
    GUILD_B,
    OLGA,
    SAM,
    Answer,
    DiscordDriver,
)


async def test_a_command_in_a_dm_runs_in_the_members_only_guild(discord_bot: DiscordDriver) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    answer = await discord_bot.slash("status", by=ADA, in_guild=None, in_channel=DM_CHANNEL)
    assert "Phase 1 of 4" in answer.text
    assert answer.labels == ["Check in", "Milestones"]
    custom_ids = [c["custom_id"] for row in answer.last["components"] for c in row["components"]]
    assert all(c.endswith("_g=700000000000000001") for c in custom_ids)


async def test_a_dm_from_someone_in_no_cohort_says_where_to_run_it(
    discord_bot: DiscordDriver,
) -> None:
    answer = await discord_bot.slash("status", by=SAM, in_guild=None, in_channel=DM_CHANNEL)
    assert answer.ephemeral
    assert answer.text == (
        "In a DM I can only help once you've joined a cohort: run `/pivot status` in your "
        "server's channel, e.g. `/pivot join` there first."
    )


async def test_a_dm_from_someone_in_two_guilds_says_where_to_run_it(
    discord_bot: DiscordDriver,
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("cohort create", by=BEA, name="autumn", in_guild=GUILD_B)
    await discord_bot.slash("join", by=ADA)
    await discord_bot.slash("join", by=ADA, in_guild=GUILD_B)
    answer = await discord_bot.slash("status", by=ADA, in_guild=None, in_channel=DM_CHANNEL)
    assert answer.text == (
        "You're in cohorts in 2 servers, so I can't tell which one you mean here: run "
        "`/pivot status` in that server's channel."
    )


def slow_spec(release: asyncio.Event, *, public: bool = False) -> CommandSpec:
    async def slow(inv: Invocation, ctx: Context) -> Reply:
        del inv, ctx
        await release.wait()
        status = Actions((Button("Status", "status"),))
        return Reply.of(Section("The long answer."), status, ephemeral=not public)

    return CommandSpec(
        name="slow",
        summary="Takes its time",
        example="/pivot slow",
        handler=slow,
        needs_member=False,
    )


async def answered_after_a_defer(
    inputs: PlatformInputs, fake: FakeDiscord, *, public: bool
) -> Answer:
    """The handler finishes only once Discord has seen the defer: no clock in the test."""
    release = asyncio.Event()
    inputs.core.registry = Registry([*default_registry().specs, slow_spec(release, public=public)])
    service = await started(inputs, defer_after=0.01)
    driver = DiscordDriver(service, fake)
    running = asyncio.create_task(driver.slash("slow", by=ADA))
    await fake.wait_for(lambda: fake.find("POST", r"/interactions/\d+/.*/callback"))
    release.set()
    answer = await running
    await service.stop()
    return answer


async def test_a_slow_answer_is_deferred_then_followed_up_privately(
    discord_inputs: PlatformInputs, fake_discord: FakeDiscord
) -> None:
    answer = await answered_after_a_defer(discord_inputs, fake_discord, public=False)
    assert answer.kind == 5  # "pivotbot is thinking..."
    assert answer.callback["data"]["flags"] == 64
    (followup,) = [c for c in answer.calls if c.path.startswith("/webhooks/")]
    assert followup.method == "POST"
    assert followup.body["content"] == "The long answer."
    assert followup.body["components"][0]["components"][0]["custom_id"] == "pivot:status:"


async def test_a_slow_public_answer_is_posted_for_everyone_after_the_defer(
    discord_inputs: PlatformInputs, fake_discord: FakeDiscord
) -> None:
    answer = await answered_after_a_defer(discord_inputs, fake_discord, public=True)
    private, public = [c.body for c in answer.calls if c.path.startswith("/webhooks/")]
    assert private["content"] == "Posted for everyone below."
    assert private["flags"] == 64
    assert public["content"] == "The long answer."
    assert not public.get("flags")


async def test_the_form_in_a_dm_opens_only_for_someone_it_can_save_for(
    discord_bot: DiscordDriver,
) -> None:
    refused = await discord_bot.slash("checkin", by=SAM, in_guild=None, in_channel=DM_CHANNEL)
    assert refused.kind == 4
    assert refused.text.startswith("In a DM I can only help once you've joined a cohort")
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    opened = await discord_bot.slash("checkin", by=ADA, in_guild=None, in_channel=DM_CHANNEL)
    custom_id = opened.callback["data"]["custom_id"]
    assert custom_id == "pivotform:checkin:_g=700000000000000001"
    saved = await discord_bot.submit(
        custom_id,
        {"hours": "3h", "summary": "on the train"},
        by=ADA,
        in_guild=None,
        in_channel=DM_CHANNEL,
    )
    assert saved.text.startswith("Checked in for 2026-W49: 3h — on the train")
