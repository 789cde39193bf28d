"""Buttons carry a neutral command; a press is an invocation, and pressing twice counts once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack_adapter.block_kit import message
from bot.clock import ManualClock
from bot.db.models import Pause
from bot.messages import Actions, Button, Reply, Section
from testkit.slack_requests import button_press
from tests.support.slack_harness import SlackHarness, SlackReply


async def test_pressing_a_button_runs_its_command(spring: SlackHarness) -> None:
    status = await spring.command("/pivot status")
    button, block_id = status.button("Milestones")
    key = "pressed-milestones"
    await spring.interact(
        button_press(button, block_id, response_url=spring.fake.response_url(key))
    )
    (reply,) = await spring.fake.wait_for_responses(key)
    assert "milestones" in reply.body["text"]
    assert "git-workflow: Use Git beyond commits" in reply.body["text"]


async def test_button_pressed_twice_counts_once(spring: SlackHarness, engine: AsyncEngine) -> None:
    offer = Reply.of(
        Section("Need a break?"), Actions((Button("Pause 2 weeks", "pause", (("weeks", 2),)),))
    )
    shown = SlackReply({"blocks": list(message(offer).blocks)})
    button, block_id = shown.button("Pause 2 weeks")
    for key in ("first-press", "second-press"):
        url = spring.fake.response_url(key)
        await spring.interact(button_press(button, block_id, response_url=url))
    first = (await spring.fake.wait_for_responses("first-press"))[0].body["text"]
    second = (await spring.fake.wait_for_responses("second-press"))[0].body["text"]
    assert first == second
    assert first.startswith("Paused for 2 weeks")
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(Pause)) == 1


async def test_same_button_in_a_new_message_is_a_new_press(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    offer = Reply.of(Actions((Button("Pause 1 week", "pause", (("weeks", 1),)),)))
    for number in (1, 2):
        shown = SlackReply({"blocks": list(message(offer).blocks)})  # rendered again
        button, block_id = shown.button("Pause 1 week")
        url = spring.fake.response_url(f"press-{number}")
        await spring.interact(button_press(button, block_id, response_url=url))
        await spring.fake.wait_for_responses(f"press-{number}")
    second = spring.fake.responses_to("press-2")[0].body["text"]
    assert second.startswith("Your pause now runs 1 week from today")


async def test_button_in_the_home_tab_answers_in_a_dm(spring: SlackHarness) -> None:
    publishes = await spring.fake.wait_for_calls("views.publish")
    home_view = [c for c in publishes if c.args["user_id"] == "UADA"][-1].args["view"]
    home = SlackReply({"blocks": home_view["blocks"]})
    button, block_id = home.button("Milestones")
    await spring.interact(button_press(button, block_id, response_url=None))
    await spring.settled()
    (opened,) = spring.fake.calls_to("conversations.open")
    assert opened.args["users"] == "UADA"
    posted = spring.fake.calls_to("chat.postMessage")[-1]
    assert posted.args["channel"] == "DUADA"
    assert "git-workflow" in posted.args["text"]


async def test_action_we_did_not_render_is_acknowledged_and_ignored(spring: SlackHarness) -> None:
    stranger = {"action_id": "someone-elses-button", "text": {"type": "plain_text", "text": "x"}}
    calls_before = len(spring.fake.calls)
    response = await spring.interact(
        button_press(stranger, "b1", response_url=spring.fake.response_url("stranger"))
    )
    await spring.settled()
    assert response.status == 200
    assert spring.fake.responses_to("stranger") == []
    assert len(spring.fake.calls) == calls_before


async def test_my_place_button_shows_a_place_below_the_top_half(
    spring: SlackHarness, clock: ManualClock
) -> None:
    """bob and cy check in two weeks running, ada one: all time she is 3rd of 3, which her
    own line leaves out until she presses "My place"."""
    people = (("UBOB", "bob"), ("UCY", "cy"))
    for user, name in people:
        await spring.command("/pivot join spring", user=user, user_name=name)
        await spring.command("/pivot checkin 3h week one", user=user, user_name=name)
    await spring.command("/pivot checkin 3h week one")
    clock.advance(timedelta(days=7))
    for user, name in people:
        await spring.command("/pivot checkin 3h week two", user=user, user_name=name)
    board = await spring.command("/pivot leaderboard all")
    assert board.text.startswith("You: 0 points this week (10 last week) · your plan: on track")
    assert "place" not in board.text.splitlines()[0]
    button, block_id = board.button("My place")
    url = spring.fake.response_url("my-place")
    await spring.interact(button_press(button, block_id, response_url=url))
    (reply,) = await spring.fake.wait_for_responses("my-place")
    assert reply.body["text"].splitlines()[0].endswith("· 10 points in all · place 3 of 3.")
