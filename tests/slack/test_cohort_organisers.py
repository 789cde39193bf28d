"""An organiser's cohort commands over Slack: signed slash commands in, and the buttons of
the replies and of the admin digest pressed as Slack sends them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import ManualClock
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.db.models import Cohort
from scheduler.jobs import DueJobs
from testkit.slack_requests import button_press, next_id
from tests.conftest import START
from tests.support.slack_harness import SlackHarness, SlackReply


async def _press(slack: SlackHarness, reply: SlackReply, label: str, user: str) -> str:
    button, block_id = reply.button(label)
    key = next_id("press-")
    url = slack.fake.response_url(key)
    pressed = await slack.interact(button_press(button, block_id, response_url=url, user=user))
    assert pressed.status == 200, pressed.status
    return str((await slack.fake.wait_for_responses(key))[0].body["text"])


async def test_a_name_with_a_space_is_refused_in_one_line(slack: SlackHarness) -> None:
    reply = await slack.command("/pivot cohort create Spring 2027", user="UOLGA")
    assert reply.text.startswith("`Spring 2027`: name is one word")
    assert "\n" not in reply.text


async def test_rename_archive_and_delete_over_slack(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    refused = await spring.command("/pivot cohort rename spring spring-2027")  # ada
    assert "Only cohort admins" in refused.text
    renamed = await spring.command("/pivot cohort rename spring spring-2027", user="UOLGA")
    assert renamed.text.startswith("Renamed cohort spring to spring-2027.")
    archived = await spring.command("/pivot cohort archive spring-2027", user="UOLGA")
    assert "Its 1 member keeps their history" in archived.text
    joined = await spring.command("/pivot join spring-2027", user="UGRACE")
    assert "Cohort spring-2027 is archived: it takes no members." in joined.text
    asked = await spring.command("/pivot cohort delete spring-2027", user="UOLGA")
    assert "This deletes cohort spring-2027 for good" in asked.text
    done = await _press(spring, asked, "Delete cohort spring-2027", "UOLGA")
    assert done == "Done: cohort spring-2027 is deleted."
    async with engine.connect() as connection:
        assert await connection.scalar(select(Cohort.name)) is None


async def test_the_last_admin_is_told_to_add_another_first(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot cohort admin remove <@UOLGA|olga> spring", user="UOLGA")
    assert reply.text.startswith("olga is the last admin of cohort spring")
    assert "`/pivot cohort admin add @sam spring`" in reply.text


async def test_followed_up_from_the_digest_dm_quiets_the_name(
    spring: SlackHarness, core: PivotCore, clock: ManualClock, content: ContentLibrary
) -> None:
    jobs = DueJobs(core.sessions, clock, content, {"slack": spring.service.outbox})
    monday = START + timedelta(minutes=30)
    for week in range(5):  # three nudges to Ada, the quiet note, two digests
        clock.set(monday + timedelta(weeks=week))
        await jobs.run_due()
        clock.advance(timedelta(days=4, hours=7))
        await jobs.run_due()
    digests = [
        c.args for c in spring.fake.calls_to("chat.postMessage") if c.args["channel"] == "DUOLGA"
    ]
    assert [d["text"].splitlines()[0] for d in digests] == [
        "Cohort spring · admin digest for 2026-W52",
        "Cohort spring · admin digest for 2026-W53",
    ]
    assert "Newly quiet for three weeks or more: Ada" in digests[0]["text"]
    assert "Still quiet, not followed up yet: Ada" in digests[1]["text"]
    latest = SlackReply({"blocks": digests[-1]["blocks"]})
    answer = await _press(spring, latest, "Followed up Ada", "UOLGA")
    assert answer.startswith("Noted: you followed up Ada.")
    clock.set(monday + timedelta(weeks=5, days=4, hours=7))
    await jobs.run_due()
    await spring.settled()
    to_olga = [c for c in spring.fake.calls_to("chat.postMessage") if c.args["channel"] == "DUOLGA"]
    assert len(to_olga) == 2  # the week after the press brings no digest about Ada
