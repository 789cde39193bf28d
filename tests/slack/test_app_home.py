"""The Home tab shows the member's dashboard, kept fresh, and Slack's event retries run once."""

from __future__ import annotations

from typing import Any

from tests.support.slack_harness import SlackHarness


def home_text(view: dict[str, Any]) -> str:
    parts = []
    for block in view["blocks"]:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text["text"])
        parts += [e["text"]["text"] for e in block.get("elements", []) if "text" in e]
    return "\n".join(parts)


def opened(user: str = "UADA", tab: str = "home") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": "D1", "tab": tab}


async def published(slack: SlackHarness) -> list[dict[str, Any]]:
    await slack.settled()
    return [c.args["view"] for c in slack.fake.calls_to("views.publish")]


async def test_opening_the_home_tab_shows_the_dashboard(spring: SlackHarness) -> None:
    before = len(await published(spring))
    response = await spring.event(opened(), event_id="Ev1")
    assert response.status == 200
    views = await published(spring)
    assert len(views) == before + 1
    assert views[-1]["type"] == "home"
    text = home_text(views[-1])
    assert "Phase 1 of 4 · Software-engineering fundamentals" in text
    assert "on track" in text
    assert "Phase 1 milestones  ░░░░░░░░░░ 0/7" in text
    assert "Streak: 0 weeks" in text
    assert "Next milestone: Use Git beyond commits" in text
    assert "Check in" in text


async def test_home_tab_of_someone_who_has_not_joined_offers_a_way_in(slack: SlackHarness) -> None:
    await slack.event(opened(user="UGRACE"), event_id="Ev1")
    (view,) = await published(slack)
    text = home_text(view)
    assert "Start with `/pivot join`" in text
    assert "Join" in text


async def test_home_tab_is_republished_after_a_checkin_and_after_a_milestone(
    spring: SlackHarness,
) -> None:
    await spring.command("/pivot checkin 5h read the service code | none")
    after_checkin = home_text((await published(spring))[-1])
    await spring.command("/pivot done git-workflow https://github.com/ada/pr/1")
    after_milestone = home_text((await published(spring))[-1])
    assert "checked in this week" in after_checkin
    assert "not checked in this week" not in after_checkin
    assert "0/7" in after_checkin
    assert "1/7" in after_milestone


async def test_slack_retrying_an_event_already_handled_does_nothing(spring: SlackHarness) -> None:
    before = len(await published(spring))
    await spring.event(opened(), event_id="EvTwice")
    await spring.event(opened(), event_id="EvTwice", retry_num=1)
    await spring.event(opened(), event_id="EvTwice", retry_num=2)
    assert len(await published(spring)) == before + 1


async def test_slack_retrying_an_event_we_never_handled_does_it(spring: SlackHarness) -> None:
    before = len(await published(spring))
    await spring.event(opened(), event_id="EvLost", retry_num=1)
    assert len(await published(spring)) == before + 1


async def test_opening_the_messages_tab_publishes_nothing(spring: SlackHarness) -> None:
    before = len(await published(spring))
    await spring.event(opened(tab="messages"), event_id="Ev1")
    assert len(await published(spring)) == before


async def test_status_never_republishes_the_home_tab(spring: SlackHarness) -> None:
    before = len(await published(spring))
    reply = await spring.command("/pivot status")
    assert "Phase 1 of 4" in reply.text
    await spring.command("/pivot help")
    await spring.command("/pivot roadmap")
    assert len(await published(spring)) == before


async def test_a_checkin_republishes_the_home_tab_once(spring: SlackHarness) -> None:
    before = len(await published(spring))
    await spring.command("/pivot checkin 5h read the service code | none")
    views = await published(spring)
    assert len(views) == before + 1
    assert "checked in this week" in home_text(views[-1])


async def test_three_quick_commands_share_one_home_refresh(spring: SlackHarness) -> None:
    spring.service.homes.delay_seconds = 60  # "quick": all three come before it is due
    before = len(await published(spring))
    await spring.command("/pivot checkin 5h read the service code | none")
    await spring.command("/pivot done git-workflow https://github.com/ada/pr/1")
    await spring.command("/pivot checkin 6h read the service code and the tests | none")
    views = await published(spring)
    assert len(views) == before + 1
    text = home_text(views[-1])
    assert "checked in this week" in text
    assert "1/7" in text


async def test_a_command_that_changes_nothing_shown_publishes_nothing(
    spring: SlackHarness,
) -> None:
    await spring.command("/pivot checkin 5h read the service code | none")
    before = len(await published(spring))
    again = await spring.command("/pivot checkin 5h read the service code | none")
    assert "this amends it" in again.text
    assert len(await published(spring)) == before
