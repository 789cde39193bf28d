"""Web-page links on Discord: the interaction's answer carries a link-style button whose URL
opens the cohort's dashboard (for an admin) or the member's own roadmap."""

from __future__ import annotations

from typing import Any

from bot.core import PivotCore
from testkit.discord_payloads import ChannelRef
from tests.support.discord_driver import A_SPRING, ADA, OLGA, Answer, DiscordDriver
from tests.support.page_links import page_client, path_of

LINK_STYLE = 5


def _link_button(answer: Answer, label: str) -> dict[str, Any]:
    buttons = [c for row in answer.last.get("components", []) for c in row["components"]]
    [button] = [b for b in buttons if b.get("label") == label]
    assert button["style"] == LINK_STYLE
    assert "custom_id" not in button  # Discord opens it; the bot is not called
    return button


async def _spring(discord_bot: DiscordDriver) -> None:
    channel = ChannelRef(A_SPRING, "pivot-spring")
    await discord_bot.slash("cohort create", by=OLGA, name="spring", channel=channel)
    await discord_bot.slash("join", by=ADA, cohort="spring")


async def test_an_admin_gets_a_link_button_that_opens_the_dashboard(
    discord_bot: DiscordDriver, core: PivotCore
) -> None:
    await _spring(discord_bot)
    answer = await discord_bot.slash("cohort dashboard", by=OLGA)
    assert answer.ephemeral
    button = _link_button(answer, "Open the dashboard")
    async with page_client(core) as client:
        response = await client.get(path_of(button["url"]))
        assert response.status == 200
        body = await response.text()
    assert "spring" in body
    assert "Ada" in body


async def test_a_member_gets_the_refusal_and_a_roadmap_link_of_their_own(
    discord_bot: DiscordDriver, core: PivotCore
) -> None:
    await _spring(discord_bot)
    refused = await discord_bot.slash("cohort dashboard", by=ADA)
    assert refused.text == "Only cohort admins can run `cohort dashboard`."
    roadmap = await discord_bot.slash("roadmap", by=ADA)
    button = _link_button(roadmap, "Open my roadmap")
    async with page_client(core) as client:
        response = await client.get(path_of(button["url"]))
        assert response.status == 200
        assert "Ada" in await response.text()
