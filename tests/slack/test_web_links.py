"""Web-page links over Slack: a signed slash command from an admin gets a private url button
that opens the cohort's dashboard; a member's roadmap carries a button to their own page."""

from __future__ import annotations

from typing import Any

from bot.core import PivotCore
from testkit.slack_requests import button_press, next_id
from tests.support.page_links import page_client, path_of
from tests.support.slack_harness import SlackHarness, SlackReply


def _url_button(reply: SlackReply, label: str) -> tuple[dict[str, Any], str]:
    button, block_id = reply.button(label)
    assert str(button["url"]).startswith("http://localhost:3000/p/")
    return button, block_id


async def test_an_admin_gets_a_dashboard_button_whose_link_opens(
    spring: SlackHarness, core: PivotCore
) -> None:
    reply = await spring.command("/pivot cohort dashboard", user="UOLGA")
    assert reply.ephemeral
    button, _ = _url_button(reply, "Open the dashboard")
    assert button["url"] in reply.text  # the fallback text carries the link too
    async with page_client(core) as client:
        response = await client.get(path_of(button["url"]))
        assert response.status == 200
        assert "spring" in await response.text()


async def test_a_member_who_is_not_an_admin_gets_the_one_line_refusal(
    spring: SlackHarness,
) -> None:
    reply = await spring.command("/pivot cohort dashboard")  # ada
    assert reply.text == "Only cohort admins can run `cohort dashboard`."
    assert all("url" not in e for b in reply.blocks for e in b.get("elements", []))


async def test_a_member_gets_a_roadmap_button_that_opens_their_page(
    spring: SlackHarness, core: PivotCore
) -> None:
    reply = await spring.command("/pivot roadmap")
    button, block_id = _url_button(reply, "Open my roadmap")
    async with page_client(core) as client:
        response = await client.get(path_of(button["url"]))
        assert response.status == 200
        assert "spring" in await response.text()
    # Slack tells the app a url button was pressed too: acknowledged, and nothing is posted.
    key = next_id("press-")
    pressed = await spring.interact(
        button_press(button, block_id, response_url=spring.fake.response_url(key))
    )
    assert pressed.status == 200
    await spring.settled()
    assert spring.fake.responses_to(key) == []
