"""Buttons that survive restarts, a double press that counts once, and the check-in form."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.clock import ManualClock
from bot.db.models import ButtonArgs, Checkin, MilestoneProgress
from bot.messages import Actions, Address, Button, ChatUser, Reply, Section
from bot.ports import Sent
from bot.views.status import LAST_WEEK_BUTTON
from testkit.discord_payloads import button
from testkit.fake_discord import FakeDiscord
from tests.discord.conftest import started
from tests.support.databases import held_database
from tests.support.discord_driver import (
    A_SPRING,
    ADA,
    GUILD_A,
    OLGA,
    SAM,
    DiscordDriver,
)

LABEL = 18  # Discord's Label component, which wraps each input of a modal
LONG_EVIDENCE = "https://github.com/ada/service/pull/12?" + "review=approved&" * 8


async def joined(discord_bot: DiscordDriver) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)


async def count(engine: AsyncEngine, model: type) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(model)) or 0)


async def post_buttons(discord_bot: DiscordDriver, *buttons: Button) -> dict:
    """A channel post with buttons, as the scheduler would send it through the Outbox."""
    reply = Reply.of(Section("Finished your tests?"), Actions(buttons))
    result = await discord_bot.service.outbox.post(
        Address("discord", str(GUILD_A), channel_id=str(A_SPRING)), reply
    )
    assert isinstance(result, Sent)
    (call,) = discord_bot.fake.messages_to(A_SPRING)
    return discord_bot.fake.message(A_SPRING, call.body, {})


async def test_checkin_without_options_opens_the_form_and_its_submission_checks_in(
    discord_bot: DiscordDriver, engine: AsyncEngine
) -> None:
    await joined(discord_bot)
    opened = await discord_bot.slash("checkin", by=ADA)
    assert opened.kind == 9
    modal = opened.callback["data"]
    assert modal["title"] == "/pivot checkin"
    inputs = [c["component"] for c in modal["components"]][:4]
    assert [i["custom_id"] for i in inputs] == ["hours", "summary", "blockers", "confidence"]
    assert [i["required"] for i in inputs] == [True, True, False, False]
    answer = await discord_bot.submit(
        modal["custom_id"],
        {"hours": "5h", "summary": "built the API", "blockers": "", "confidence": "4"},
        by=ADA,
    )
    assert answer.ephemeral
    assert "Checked in for 2026-W49: 5h — built the API" in answer.text
    assert await count(engine, Checkin) == 1


async def test_the_form_opens_prefilled_with_what_was_typed(discord_bot: DiscordDriver) -> None:
    await joined(discord_bot)
    opened = await discord_bot.slash("checkin", by=ADA, hours="6h")
    hours = opened.callback["data"]["components"][0]["component"]
    assert hours["value"] == "6h"


async def test_the_last_week_button_opens_a_form_for_last_week_and_records_it(
    discord_bot: DiscordDriver, engine: AsyncEngine, clock: ManualClock
) -> None:
    await joined(discord_bot)
    clock.advance(timedelta(weeks=1))  # Monday of W50: W49 is still open
    message = await post_buttons(discord_bot, LAST_WEEK_BUTTON)
    opened = await discord_bot.press(message, LAST_WEEK_BUTTON.label, by=ADA)
    assert opened.kind == 9
    modal = opened.callback["data"]
    # The week comes with the form, so the modal keeps its fifth place for the milestones.
    assert "week" not in [c["component"]["custom_id"] for c in modal["components"]]
    answer = await discord_bot.submit(
        modal["custom_id"], {"hours": "3h", "summary": "read the docs"}, by=ADA
    )
    assert "Checked in for 2026-W49 (last week): 3h — read the docs" in answer.text
    async with engine.connect() as connection:
        assert await connection.scalar(select(Checkin.iso_week)) == "2026-W49"


async def test_the_form_is_built_of_labels_not_the_deprecated_action_rows(
    discord_bot: DiscordDriver,
) -> None:
    await joined(discord_bot)
    modal = (await discord_bot.slash("checkin", by=ADA)).callback["data"]
    assert {c["type"] for c in modal["components"]} == {LABEL}
    hours = modal["components"][0]
    assert hours["label"] == "Hours spent this week, like 6h"
    assert not hours["component"].get("label")  # the Label says it; the input need not


async def test_the_form_offers_the_members_open_milestones_to_tick_off(
    discord_bot: DiscordDriver,
) -> None:
    await joined(discord_bot)
    await discord_bot.slash("done", by=ADA, milestone="git-workflow")
    modal = (await discord_bot.slash("checkin", by=ADA)).callback["data"]
    picker = modal["components"][-1]
    assert picker["label"] == "Milestones you finished"
    select = picker["component"]
    assert (select["type"], select["custom_id"], select["required"]) == (3, "milestones", False)
    offered = [option["value"] for option in select["options"]]
    assert "write-tests" in offered
    assert "git-workflow" not in offered  # done already
    assert select["min_values"] == 0
    assert select["max_values"] == len(offered)


async def test_a_form_with_milestones_picked_checks_in_and_marks_them_in_one_go(
    discord_bot: DiscordDriver, engine: AsyncEngine
) -> None:
    await joined(discord_bot)
    modal = (await discord_bot.slash("checkin", by=ADA)).callback["data"]
    answer = await discord_bot.submit(
        modal["custom_id"],
        {"hours": "5h", "summary": "tests at last", "milestones": ["write-tests"]},
        by=ADA,
    )
    assert "Checked in for 2026-W49: 5h — tests at last" in answer.text
    assert "Write tests" in answer.text
    async with engine.connect() as connection:
        done = list(await connection.scalars(select(MilestoneProgress.milestone_key)))
    assert done == ["write-tests"]


async def test_a_milestone_from_another_phase_saves_neither_it_nor_the_checkin(
    discord_bot: DiscordDriver, engine: AsyncEngine
) -> None:
    await joined(discord_bot)
    answer = await discord_bot.submit(
        "pivotform:checkin:",
        {"hours": "5h", "summary": "x", "milestones": ["kubernetes-basics"]},
        by=ADA,
    )
    assert "is not a milestone of phase 1, so nothing was saved" in answer.text
    assert await count(engine, Checkin) == 0
    assert await count(engine, MilestoneProgress) == 0


async def test_a_bad_form_value_gets_one_line_and_saves_nothing(
    discord_bot: DiscordDriver, engine: AsyncEngine
) -> None:
    await joined(discord_bot)
    answer = await discord_bot.submit(
        "pivotform:checkin:", {"hours": "lots", "summary": "x", "confidence": "9"}, by=ADA
    )
    assert answer.text.startswith("hours must look like 6h or 1.5h, not `lots`.")
    assert "\n" not in answer.text
    assert await count(engine, Checkin) == 0


async def test_a_button_still_works_after_a_restart(
    discord_bot: DiscordDriver,
    discord_inputs: PlatformInputs,
    fake_discord: FakeDiscord,
) -> None:
    await joined(discord_bot)
    status = await discord_bot.slash("status", by=ADA)
    assert status.labels == ["Check in", "Milestones"]
    message = status.as_message()
    await discord_bot.service.stop()
    restarted = await started(discord_inputs)
    try:
        after = DiscordDriver(restarted, fake_discord)
        milestones = await after.press(message, "Milestones", by=ADA)
        assert "git-workflow" in milestones.text
        form = await after.press(message, "Check in", by=ADA)
        assert form.kind == 9
    finally:
        await restarted.stop()


async def test_a_button_in_a_dm_knows_its_guild_after_a_restart(
    discord_bot: DiscordDriver,
    discord_inputs: PlatformInputs,
    fake_discord: FakeDiscord,
) -> None:
    await joined(discord_bot)
    ada = ChatUser("discord", str(GUILD_A), str(ADA.id), "Ada")
    reply = Reply.of(
        Section("Time for your weekly check-in."), Actions((Button("Status", "status"),))
    )
    assert isinstance(await discord_bot.service.outbox.send_dm(ada, reply), Sent)
    dm = fake_discord.dm_channel_of(ADA.id)
    (call,) = fake_discord.messages_to(dm)
    custom_id = call.body["components"][0]["components"][0]["custom_id"]
    assert custom_id == f"pivot:status:_g={GUILD_A}"
    await discord_bot.service.stop()
    restarted = await started(discord_inputs)
    try:
        after = DiscordDriver(restarted, fake_discord)
        pressed = await after.press(
            fake_discord.message(dm, call.body, {}), "Status", by=ADA, in_guild=None, in_channel=dm
        )
        assert "Phase 1 of 4" in pressed.text
    finally:
        await restarted.stop()


async def test_a_double_press_counts_once(discord_bot: DiscordDriver, engine: AsyncEngine) -> None:
    await joined(discord_bot)
    message = await post_buttons(
        discord_bot, Button("Mark it done", "done", (("milestone", "write-tests"),))
    )
    first = await discord_bot.press(message, "Mark it done", by=ADA, in_channel=A_SPRING)
    second = await discord_bot.press(message, "Mark it done", by=ADA, in_channel=A_SPRING)
    assert first.text.startswith("✓ Write tests — done.")
    assert "already done" in second.text
    assert await count(engine, MilestoneProgress) == 1


async def test_the_same_interaction_delivered_twice_is_handled_once(
    discord_bot: DiscordDriver, engine: AsyncEngine, fake_discord: FakeDiscord
) -> None:
    await joined(discord_bot)
    message = await post_buttons(
        discord_bot, Button("Mark it done", "done", (("milestone", "write-tests"),))
    )
    payload = button(message, "Mark it done", by=ADA, in_guild=GUILD_A, in_channel=A_SPRING)
    await discord_bot.deliver(payload)
    discord_bot.client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
    await fake_discord.wait_for(
        lambda: len(fake_discord.find("POST", f"/interactions/{payload['id']}/.*")) == 2
    )
    rejected = fake_discord.find("POST", f"/interactions/{payload['id']}/.*")[1]
    assert rejected.status == 400  # Discord refuses a second answer; nothing breaks
    assert await count(engine, MilestoneProgress) == 1


async def test_long_button_arguments_are_kept_server_side_and_survive_a_restart(
    discord_bot: DiscordDriver,
    discord_inputs: PlatformInputs,
    fake_discord: FakeDiscord,
    engine: AsyncEngine,
) -> None:
    await joined(discord_bot)
    proof = Button(
        "Done, with proof", "done", (("milestone", "write-tests"), ("evidence", LONG_EVIDENCE))
    )
    message = await post_buttons(discord_bot, proof)
    custom_id = message["components"][0]["components"][0]["custom_id"]
    assert len(custom_id) <= 100
    assert custom_id.startswith("pivot:done:_t=")
    assert await count(engine, ButtonArgs) == 1
    await discord_bot.service.stop()
    restarted = await started(discord_inputs)
    try:
        pressed = await DiscordDriver(restarted, fake_discord).press(
            message, "Done, with proof", by=ADA, in_channel=A_SPRING
        )
        assert f"Evidence: {LONG_EVIDENCE}" in pressed.text
    finally:
        await restarted.stop()


async def test_a_button_pivotbot_can_no_longer_read_gets_one_line(
    discord_bot: DiscordDriver,
) -> None:
    old = {
        **discord_bot.fake.message(A_SPRING, {"content": "old"}, {}),
        "components": [
            {
                "type": 1,
                "components": [{"type": 2, "style": 1, "label": "Old", "custom_id": "v1-ci"}],
            }
        ],
    }
    answer = await discord_bot.press(old, "Old", by=ADA, in_channel=A_SPRING)
    assert answer.text == "That button is from an older pivotbot. Run `/pivot help` to carry on."


async def test_the_form_opens_in_time_without_milestones_when_the_database_is_held(
    discord_bot: DiscordDriver, database_url: str
) -> None:
    await joined(discord_bot)
    async with held_database(database_url):
        opened = await discord_bot.slash("checkin", by=ADA)
    assert opened.kind == 9  # still the modal, within Discord's 3 seconds
    custom_ids = [c["component"]["custom_id"] for c in opened.callback["data"]["components"]]
    assert custom_ids == ["hours", "summary", "blockers", "confidence"]


async def test_my_place_button_shows_a_place_below_the_top_half(
    discord_bot: DiscordDriver, clock: ManualClock
) -> None:
    """Olga and Sam check in two weeks running, Ada one: all time she is 3rd of 3, which her
    own line leaves out until she presses "My place"."""
    await joined(discord_bot)
    await discord_bot.slash("join", by=SAM)
    await discord_bot.slash("join", by=OLGA)
    for person in (OLGA, SAM, ADA):
        await discord_bot.slash("checkin", by=person, hours="3h", summary="week one")
    clock.advance(timedelta(days=7))
    for person in (OLGA, SAM):
        await discord_bot.slash("checkin", by=person, hours="3h", summary="week two")
    board = await discord_bot.slash("leaderboard show", by=ADA, board="all")
    assert "You: 0 points this week (10 last week) · your plan: on track" in board.text
    assert "place 3 of 3" not in board.text
    asked = await discord_bot.press(board.as_message(), "My place", by=ADA)
    assert "· 10 points in all · place 3 of 3." in asked.text
    assert asked.ephemeral
