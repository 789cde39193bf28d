"""The Slack Outbox the deliverer calls, and how Slack's answers map to delivery results."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs, StartupError
from adapters.slack_adapter.clients import SlackClients
from adapters.slack_adapter.outbox import SlackOutbox
from adapters.slack_adapter.sending import SlackSending
from adapters.slack_adapter.tokens import SettingsToken
from bot.config import Settings
from bot.core import PivotCore
from bot.messages import Actions, Address, Button, ChatUser, Image, Reply, Section
from bot.ports import RetryAfter, Sent, Undeliverable
from testkit.fake_slack import FakeSlack
from tests.slack.conftest import slack_settings

ADA = ChatUser("slack", "T1", "UADA", "Ada")
SPRING = Address("slack", "T1", channel_id="CSPRING")
NUDGE = Reply.of(
    Section("Time for your weekly check-in."), Actions((Button("Check in", "checkin"),))
)


@pytest.fixture
async def outbox(fake_slack: FakeSlack) -> AsyncIterator[SlackOutbox]:
    clients = SlackClients(fake_slack.api_url)
    await clients.open()
    yield SlackOutbox(clients, SettingsToken("xoxb-test"))
    await clients.close()


async def test_dm_opens_the_conversation_then_posts_in_it(
    outbox: SlackOutbox, fake_slack: FakeSlack
) -> None:
    result = await outbox.send_dm(ADA, NUDGE)
    assert [c.method for c in fake_slack.calls] == ["conversations.open", "chat.postMessage"]
    opened, posted = fake_slack.calls
    assert opened.args["users"] == "UADA"
    assert posted.args["channel"] == "DUADA"
    assert posted.args["text"].startswith("Time for your weekly check-in.")
    assert posted.args["blocks"][-1]["elements"][0]["action_id"] == "pivot|checkin|1"
    assert {c.token for c in fake_slack.calls} == {"xoxb-test"}
    assert isinstance(result, Sent)
    assert result.platform_message_id.startswith("DUADA:1700000000.")


async def test_channel_post_goes_to_the_cohort_channel_and_its_thread(
    outbox: SlackOutbox, fake_slack: FakeSlack
) -> None:
    thread = Address("slack", "T1", channel_id="CSPRING", thread_id="1700000000.000001")
    assert isinstance(await outbox.post(thread, NUDGE), Sent)
    (posted,) = fake_slack.calls_to("chat.postMessage")
    assert posted.args["channel"] == "CSPRING"
    assert posted.args["thread_ts"] == "1700000000.000001"


async def test_chart_is_uploaded_with_files_upload_v2_next_to_its_post(
    outbox: SlackOutbox, fake_slack: FakeSlack
) -> None:
    png = b"\x89PNG\r\n\x1a\nchart"
    board = Reply.of(Section("This week's leaderboard"), Image("hours per member", png_bytes=png))
    assert isinstance(await outbox.post(SPRING, board), Sent)
    methods = [c.method for c in fake_slack.calls]
    assert methods == [
        "chat.postMessage",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    assert list(fake_slack.uploads.values()) == [png]
    (completed,) = fake_slack.calls_to("files.completeUploadExternal")
    assert completed.args["channel_id"] == "CSPRING"


@pytest.mark.parametrize(
    "error",
    [
        "channel_not_found",
        "user_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "is_archived",
        "not_in_channel",
    ],
)
async def test_slack_errors_no_retry_can_fix_are_undeliverable(
    outbox: SlackOutbox, fake_slack: FakeSlack, error: str
) -> None:
    fake_slack.fail("chat.postMessage", error)
    assert await outbox.post(SPRING, NUDGE) == Undeliverable(error)


@pytest.mark.parametrize("error", ["user_not_found", "account_inactive", "cannot_dm_bot"])
async def test_dm_to_someone_who_cannot_receive_is_undeliverable(
    outbox: SlackOutbox, fake_slack: FakeSlack, error: str
) -> None:
    fake_slack.fail("conversations.open", error)
    assert await outbox.send_dm(ADA, NUDGE) == Undeliverable(error)
    assert fake_slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("method", ["conversations.open", "chat.postMessage"])
async def test_429_becomes_retry_after_with_slacks_seconds(
    outbox: SlackOutbox, fake_slack: FakeSlack, method: str
) -> None:
    fake_slack.rate_limit(method, retry_after=42)
    assert await outbox.send_dm(ADA, NUDGE) == RetryAfter(42.0, "rate limited", rate_limited=True)


async def test_transient_slack_error_is_tried_again_later(
    outbox: SlackOutbox, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", "internal_error")
    result = await outbox.post(SPRING, NUDGE)
    assert isinstance(result, RetryAfter)
    assert result.reason == "internal_error"


async def test_blocks_slack_refuses_are_sent_again_as_text(
    outbox: SlackOutbox, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", "invalid_blocks")
    assert isinstance(await outbox.post(SPRING, NUDGE), Sent)
    first, second = fake_slack.calls_to("chat.postMessage")
    assert "blocks" in first.args
    assert "blocks" not in second.args
    assert second.args["text"] == first.args["text"]


async def test_unreachable_slack_is_tried_again_later() -> None:
    runner = web.AppRunner(web.Application())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    await runner.cleanup()  # nothing listens there any more
    clients = SlackClients(f"http://127.0.0.1:{port}/api/")
    await clients.open()
    try:
        result = await SlackOutbox(clients, SettingsToken("xoxb-test")).send_dm(ADA, NUDGE)
    finally:
        await clients.close()
    assert isinstance(result, RetryAfter)
    assert result.reason.startswith("network")


async def test_a_process_that_only_sends_can_deliver_without_serving(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> None:
    sending = SlackSending(PlatformInputs(core, slack_settings(settings, fake_slack), lookups))
    await sending.start()
    try:
        assert isinstance(await sending.outbox.send_dm(ADA, NUDGE), Sent)
    finally:
        await sending.stop()


async def test_refused_bot_token_stops_the_start_with_one_line(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("auth.test", "invalid_auth")
    sending = SlackSending(PlatformInputs(core, slack_settings(settings, fake_slack), lookups))
    with pytest.raises(StartupError, match=r"^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)$"):
        await sending.start()
    await sending.stop()
