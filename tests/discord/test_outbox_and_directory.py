"""DMs and channel posts, every Discord failure as a ``DeliveryResult``, and the channel check
an admin gets when setting a cohort's channel."""

from __future__ import annotations

import pytest

from adapters.discord_adapter.service import DiscordService
from bot.messages import Address, ChatUser, Header, Image, ProgressBar, Reply, Section
from bot.ports import RetryAfter, Sent, Undeliverable
from testkit.discord_payloads import ChannelRef
from testkit.fake_discord import FakeDiscord
from tests.support.discord_driver import (
    A_GENERAL,
    A_HIDDEN,
    A_READONLY,
    A_SPRING,
    ADA,
    B_GENERAL,
    GUILD_A,
    OLGA,
    DiscordDriver,
)

NUDGE = Reply.of(
    Header("Week 49: time to check in"),
    Section("Month 1 of 24 · standard track · on plan"),
    ProgressBar(2, 7, "Phase 1 milestones"),
)
ADA_IN_A = ChatUser("discord", str(GUILD_A), str(ADA.id), "Ada")
NOBODY = ChatUser("discord", str(GUILD_A), "800000000000000999", "Gone")


def channel(channel_id: int | str) -> Address:
    return Address("discord", str(GUILD_A), channel_id=str(channel_id))


async def test_a_dm_goes_through_fetch_user_create_dm_and_send(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    result = await discord_service.outbox.send_dm(ADA_IN_A, NUDGE)
    assert isinstance(result, Sent)
    assert fake_discord.find("GET", f"/users/{ADA.id}")
    assert fake_discord.find("POST", "/users/@me/channels")
    (sent,) = fake_discord.messages_to(fake_discord.dm_channel_of(ADA.id))
    embed = sent.body["embeds"][0]
    assert embed["title"] == "Week 49: time to check in"
    assert "Phase 1 milestones ███░░░░░░░ 2/7" in embed["description"]
    assert sent.body["allowed_mentions"] == {"parse": []}


async def test_a_member_with_closed_dms_is_undeliverable(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    fake_discord.closed_dms.add(ADA.id)
    result = await discord_service.outbox.send_dm(ADA_IN_A, NUDGE)
    assert result == Undeliverable("the member's DMs are closed to pivotbot (Discord 50007)")


async def test_an_unknown_user_is_undeliverable(discord_service: DiscordService) -> None:
    result = await discord_service.outbox.send_dm(NOBODY, NUDGE)
    assert result == Undeliverable("Discord has no such user any more (10013)")


async def test_an_unknown_channel_is_undeliverable(discord_service: DiscordService) -> None:
    result = await discord_service.outbox.post(channel(719999999999999999), NUDGE)
    assert result == Undeliverable("the channel no longer exists (Discord 10003)")


async def test_a_channel_the_bot_cannot_see_is_undeliverable_with_the_fix(
    discord_service: DiscordService,
) -> None:
    result = await discord_service.outbox.post(channel(A_HIDDEN), NUDGE)
    assert isinstance(result, Undeliverable)
    assert "give it View Channel, Send Messages, Embed Links and Attach Files" in result.reason


async def test_a_rate_limit_longer_than_discord_py_waits_is_retry_after(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail("POST", rf"/channels/{A_SPRING}/messages", 429, retry_after=120.0)
    result = await discord_service.outbox.post(channel(A_SPRING), NUDGE)
    assert isinstance(result, RetryAfter)
    assert result.seconds == 120.0


async def test_a_rate_limit_that_outlasts_discord_py_retries_is_retry_after(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail("POST", rf"/channels/{A_SPRING}/messages", 429, retry_after=0.01, times=5)
    result = await discord_service.outbox.post(channel(A_SPRING), NUDGE)
    assert isinstance(result, RetryAfter)
    assert len(fake_discord.messages_to(A_SPRING)) == 5  # discord.py tried five times


async def test_a_cloudflare_429_is_retry_after_not_a_crash(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail("POST", rf"/channels/{A_SPRING}/messages", 429, retry_after=7.0, via=False)
    result = await discord_service.outbox.post(channel(A_SPRING), NUDGE)
    what = f"Discord rate limit on post to channel {A_SPRING}"
    assert result == RetryAfter(7.0, what, rate_limited=True)


async def test_a_discord_outage_is_retry_after(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail("POST", rf"/channels/{A_SPRING}/messages", 503)
    assert isinstance(await discord_service.outbox.post(channel(A_SPRING), NUDGE), RetryAfter)
    await fake_discord.stop()
    result = await discord_service.outbox.post(channel(A_SPRING), NUDGE)
    assert isinstance(result, RetryAfter)
    assert result.reason.startswith("Discord unreachable")


async def test_a_chart_goes_as_a_file_shown_in_the_embed(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    png = b"\x89PNG\r\n\x1a\nchart"
    reply = Reply.of(Header("Leaderboard"), Image("weekly hours", png_bytes=png))
    assert isinstance(await discord_service.outbox.post(channel(A_SPRING), reply), Sent)
    (sent,) = fake_discord.messages_to(A_SPRING)
    assert sent.files == {"chart.png": png}
    assert sent.body["embeds"][0]["image"]["url"] == "attachment://chart.png"


@pytest.mark.parametrize(
    ("channel_id", "problem"),
    [
        (A_SPRING, None),
        (A_HIDDEN, "pivotbot can't see <#710000000000000003>, so it can't post there"),
        (
            A_READONLY,
            "pivotbot lacks Send Messages, Embed Links, Attach Files in <#710000000000000004>",
        ),
        (B_GENERAL, "<#710000000000000011> is not in this server"),
        (719999999999999999, "pivotbot can't find channel 719999999999999999"),
    ],
)
async def test_the_directory_tells_an_admin_what_is_wrong_with_a_channel(
    connected: DiscordService, channel_id: int, problem: str | None
) -> None:
    found = await connected.directory.channel_problem(str(GUILD_A), str(channel_id))
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert found.startswith(problem)


async def test_setting_a_hidden_cohort_channel_warns_the_admin_what_to_grant(
    discord_bot: DiscordDriver,
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    answer = await discord_bot.slash(
        "cohort channel", by=OLGA, name="spring", channel=ChannelRef(A_HIDDEN, "staff-only")
    )
    assert "Cohort spring now posts in #staff-only." in answer.text
    assert "Heads up: pivotbot can't see <#710000000000000003>" in answer.text
    assert "View Channel, Send Messages, Embed Links and Attach Files" in answer.text
    assert A_GENERAL  # the interaction came from #general


async def test_a_send_only_process_logs_in_without_registering_or_connecting(
    discord_service: DiscordService, fake_discord: FakeDiscord
) -> None:
    assert fake_discord.find("GET", "/users/@me")
    assert not fake_discord.find("PUT", r"/applications/.*")
    assert not fake_discord.find("GET", "/gateway/bot")
    assert fake_discord.gateway.identify is None
    assert isinstance(await discord_service.outbox.send_dm(ADA_IN_A, NUDGE), Sent)


async def test_an_id_that_is_not_discords_is_undeliverable_not_a_crash(
    discord_service: DiscordService,
) -> None:
    console_user = ChatUser("discord", str(GUILD_A), "ada", "Ada")
    assert await discord_service.outbox.send_dm(console_user, NUDGE) == Undeliverable(
        "'ada' is not a Discord user id"
    )
    assert isinstance(
        await discord_service.outbox.post(channel("pivot-demo"), NUDGE), Undeliverable
    )
