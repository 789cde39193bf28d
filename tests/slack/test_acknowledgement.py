"""Slack gets its acknowledgement at once, however slow the database is; the reply follows."""

from __future__ import annotations

from tests.support.databases import held_database
from tests.support.slack_harness import SlackHarness


async def test_ack_comes_back_while_another_connection_holds_the_database(
    spring: SlackHarness, database_url: str
) -> None:
    async with held_database(database_url):
        response, key = await spring.send_command("/pivot status")
        assert response.status == 200
        assert spring.fake.responses_to(key) == []  # the answer waits for the database
    reply = (await spring.fake.wait_for_responses(key))[0].body
    assert "Phase 1 of 4" in reply["text"]


async def test_ack_comes_back_while_the_database_is_held_with_many_workspaces(
    slack_oauth: SlackHarness, database_url: str
) -> None:
    await slack_oauth.install("T1")
    await slack_oauth.settled()
    async with held_database(database_url):
        response, key = await slack_oauth.send_command("/pivot help")
        assert response.status == 200
        assert slack_oauth.fake.responses_to(key) == []
    reply = (await slack_oauth.fake.wait_for_responses(key))[0].body
    assert "/pivot join" in reply["text"]
