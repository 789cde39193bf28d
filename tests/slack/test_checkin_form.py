"""``/pivot checkin`` with no text opens a form; its errors show on their fields."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import ManualClock
from bot.db.models import Checkin, MilestoneProgress
from testkit.slack_requests import button_press, picked, typed, view_submission
from tests.support.slack_harness import SlackHarness


def milestones(*keys: str) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": k}, "value": k} for k in keys]
    return {
        "milestones": {"milestones": {"type": "multi_static_select", "selected_options": options}}
    }


async def open_form(slack: SlackHarness, **fields: str) -> tuple[dict[str, Any], str]:
    """Open the form with ``/pivot checkin``; return the form as shown and the reply's key."""
    response, key = await slack.send_command("/pivot checkin", **fields)
    assert response.status == 200
    await slack.settled()
    (shown,) = slack.fake.calls_to("views.update")
    return {**shown.args["view"], "id": shown.args["view_id"]}, key


async def test_checkin_without_text_opens_the_form_on_its_trigger(spring: SlackHarness) -> None:
    response, _key = await spring.send_command("/pivot checkin")
    assert response.status == 200
    (opened,) = await spring.fake.wait_for_calls("views.open")
    assert opened.args["trigger_id"].startswith("1337.42.")
    blocks = opened.args["view"]["blocks"]
    assert [b.get("block_id") for b in blocks if b["type"] == "input"] == [
        "week",
        "hours",
        "summary",
        "blockers",
        "confidence",
    ]
    assert opened.args["view"]["title"]["text"] == "Weekly check-in"
    week = blocks[0]["element"]
    assert [o["value"] for o in week["options"]] == ["this", "last"]
    assert week["initial_option"]["value"] == "this"


async def test_form_offers_the_open_milestones_of_the_members_phase(spring: SlackHarness) -> None:
    await spring.command("/pivot done git-workflow")
    form, _key = await open_form(spring)
    (choices,) = [b for b in form["blocks"] if b.get("block_id") == "milestones"]
    keys = [o["value"] for o in choices["element"]["options"]]
    assert "write-tests" in keys
    assert "git-workflow" not in keys  # already done


async def test_confidence_is_picked_from_one_to_five(spring: SlackHarness) -> None:
    form, _key = await open_form(spring)
    (confidence,) = [b for b in form["blocks"] if b.get("block_id") == "confidence"]
    assert [o["value"] for o in confidence["element"]["options"]] == ["1", "2", "3", "4", "5"]
    assert confidence["optional"] is True


async def test_form_errors_show_on_the_fields_that_caused_them(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    form, _key = await open_form(spring)
    values = typed(hours="lots", summary="", blockers="")
    response = await spring.interact(
        view_submission(form, {**values, **picked("confidence", None)})
    )
    answer = json.loads(await response.text())
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"hours", "summary"}
    assert "hours must look like 6h" in answer["errors"]["hours"]
    async with engine.connect() as connection:
        assert (await connection.execute(select(Checkin))).first() is None


async def test_submitted_form_checks_in_marks_milestones_and_replies_where_it_was_opened(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    form, key = await open_form(spring)
    values = {
        **typed(hours="6h", summary="shipped the flask service", blockers="docker networking"),
        **picked("confidence", "4"),
        **milestones("git-workflow"),
    }
    response = await spring.interact(view_submission(form, values))
    assert response.status == 200
    assert await response.text() == ""  # the form closes
    (reply,) = await spring.fake.wait_for_responses(key)
    assert "Checked in for 2026-W49: 6h — shipped the flask service" in reply.body["text"]
    assert "Use Git beyond commits — done." in reply.body["text"]
    async with engine.connect() as connection:
        checkin = (await connection.execute(select(Checkin.hours, Checkin.confidence))).one()
        done = await connection.scalars(select(MilestoneProgress.milestone_key))
        assert tuple(checkin) == (6.0, 4)
        assert list(done) == ["git-workflow"]
    await spring.settled()
    home = spring.fake.calls_to("views.publish")[-1].args["view"]
    assert "Phase 1 milestones  █░░░░░░░░░ 1/7" in str(home["blocks"])


async def test_form_for_someone_who_has_not_joined_says_how_to_join(slack: SlackHarness) -> None:
    form, _key = await open_form(slack)
    assert "submit" not in form
    assert "Start with `/pivot join`" in form["blocks"][0]["text"]["text"]


async def test_check_in_button_opens_the_form(spring: SlackHarness) -> None:
    status = await spring.command("/pivot status")
    button, block_id = status.button("Check in")
    press = button_press(button, block_id, response_url=spring.fake.response_url("pressed"))
    await spring.interact(press)
    (opened,) = await spring.fake.wait_for_calls("views.open")
    assert opened.args["trigger_id"] == press["trigger_id"]


async def test_last_week_button_opens_the_form_on_last_week_and_records_it(
    spring: SlackHarness, engine: AsyncEngine, clock: ManualClock
) -> None:
    clock.advance(timedelta(weeks=1))  # Monday of W50; W49 has no check-in yet
    status = await spring.command("/pivot status")
    button, block_id = status.button("Check in for last week")
    key = "pressed-last-week"
    await spring.interact(
        button_press(button, block_id, response_url=spring.fake.response_url(key))
    )
    (opened,) = await spring.fake.wait_for_calls("views.open")
    week = opened.args["view"]["blocks"][0]["element"]
    assert week["initial_option"]["value"] == "last"
    await spring.settled()
    (shown,) = spring.fake.calls_to("views.update")
    form = {**shown.args["view"], "id": shown.args["view_id"]}
    values = {**picked("week", "last"), **typed(hours="3h", summary="read the orders service")}
    await spring.interact(view_submission(form, values))
    (reply,) = await spring.fake.wait_for_responses(key)
    assert "Checked in for 2026-W49 (last week): 3h — read the orders service" in reply.body["text"]
    async with engine.connect() as connection:
        assert await connection.scalar(select(Checkin.iso_week)) == "2026-W49"


async def test_form_that_cannot_open_points_to_the_text_form(spring: SlackHarness) -> None:
    spring.fake.fail("views.open", "expired_trigger_id")
    reply = await spring.command("/pivot checkin")
    assert "Check in with text instead, e.g. `/pivot checkin 6h" in reply.text
