"""``/pivot <text>`` in Slack: the text goes to the core as typed, the answer comes back."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from bot.db.models import Checkin, Cohort
from testkit.fake_slack import FakeSlack
from tests.slack.conftest import slack_settings
from tests.support.slack_harness import SlackHarness, start_slack


async def test_status_is_answered_privately_with_blocks_and_full_text(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot status")
    assert reply.ephemeral
    assert reply.text.startswith("Phase 1 of 4")
    assert reply.blocks[0]["type"] == "header"
    assert [b["text"]["text"] for b in reply.blocks[-1]["elements"]] == ["Check in", "Milestones"]


async def test_text_slack_escaped_reaches_the_core_as_the_member_typed_it(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    reply = await spring.command("/pivot checkin 5h made p &lt; 0.05 &amp; shipped | none")
    assert "made p &lt; 0.05 &amp; shipped" in reply.text  # escaped once, for display
    async with engine.connect() as connection:
        summary = await connection.scalar(select(Checkin.summary))
    assert summary == "made p < 0.05 & shipped"


async def test_a_link_in_a_checkin_is_kept_as_the_member_typed_it(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    # With escaping on, as the manifest asks, Slack wraps every link it sees in <...>.
    reply = await spring.command("/pivot checkin 5h shipped <https://github.com/ada/svc> | none")
    assert "shipped https://github.com/ada/svc" in reply.text
    async with engine.connect() as connection:
        summary = await connection.scalar(select(Checkin.summary))
    assert summary == "shipped https://github.com/ada/svc"


async def test_a_bare_domain_slack_made_a_link_is_answered_as_typed(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot done write-tests <http://github.com/ada|github.com/ada>")
    assert "evidence must be a link starting with https://, not `github.com/ada`" in reply.text


async def test_a_mistake_gets_one_line_that_says_what_was_expected(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot checkin lots of hours")
    assert "\n" not in reply.text
    assert "Expected `/pivot checkin" in reply.text
    assert reply.ephemeral
    assert "blocks" not in reply.body


async def test_unknown_command_suggests_the_nearest_one(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot stauts")
    assert "Did you mean `status`?" in reply.text


async def test_empty_command_shows_help(slack: SlackHarness) -> None:
    reply = await slack.command("/pivot")
    assert "/pivot join" in reply.text


async def test_workspace_admins_come_from_users_info_and_are_asked_once(
    slack: SlackHarness,
) -> None:
    refused = await slack.command("/pivot cohort create sneaky")
    assert "Only cohort admins" in refused.text
    created = await slack.command("/pivot cohort create spring", user="UOLGA")
    listed = await slack.command("/pivot cohort list", user="UOLGA")
    assert "Created cohort spring" in created.text
    assert "spring: started" in listed.text
    asked = [c.args["user"] for c in slack.fake.calls_to("users.info")]
    assert asked.count("UOLGA") == 1


async def test_user_mention_is_read_as_that_users_id(spring: SlackHarness) -> None:
    added = await spring.command("/pivot cohort admin add <@UGRACE|grace> spring", user="UOLGA")
    assert "grace is now an admin of cohort spring" in added.text
    listed = await spring.command("/pivot cohort list", user="UGRACE")  # not a workspace admin
    assert "admins: Grace, Olga" in listed.text  # people, not ids such as UGRACE


async def test_a_bare_mention_is_answered_with_the_persons_name(spring: SlackHarness) -> None:
    added = await spring.command("/pivot cohort admin add <@UGRACE> spring", user="UOLGA")
    assert added.text == "Grace is now an admin of cohort spring."
    removed = await spring.command("/pivot cohort admin remove <@UGRACE> spring", user="UOLGA")
    assert removed.text == "Grace is no longer an admin of cohort spring."


async def test_channel_mention_without_a_name_gets_the_channels_name(
    slack: SlackHarness, engine: AsyncEngine
) -> None:
    reply = await slack.command("/pivot cohort create spring <#CSPRING|>", user="UOLGA")
    assert "posts go to #pivot-spring" in reply.text
    async with engine.connect() as connection:
        row = (await connection.execute(select(Cohort.channel_id, Cohort.channel_name))).one()
    assert tuple(row) == ("CSPRING", "pivot-spring")


async def test_plain_channel_name_is_looked_up_to_its_id(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    spring.fake.channels["CAUTUMN"] = {"id": "CAUTUMN", "name": "pivot-autumn", "is_member": True}
    reply = await spring.command("/pivot cohort channel spring #pivot-autumn", user="UOLGA")
    assert "now posts in #pivot-autumn" in reply.text
    async with engine.connect() as connection:
        assert await connection.scalar(select(Cohort.channel_id)) == "CAUTUMN"


async def test_plain_channel_name_nobody_knows_is_refused_in_one_line(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    reply = await spring.command("/pivot cohort channel spring #no-such-room", user="UOLGA")
    assert "can't find a channel #no-such-room" in reply.text
    assert "\n" not in reply.text
    async with engine.connect() as connection:
        assert await connection.scalar(select(Cohort.channel_id)) == "CSPRING"


async def test_channel_without_the_bot_tells_the_admin_to_invite_it(spring: SlackHarness) -> None:
    spring.fake.channels["CQUIET"] = {"id": "CQUIET", "name": "quiet", "is_member": False}
    reply = await spring.command("/pivot cohort channel spring <#CQUIET|quiet>", user="UOLGA")
    assert "pivotbot isn't in #quiet yet: invite it there with `/invite @pivotbot`" in reply.text


async def test_archived_channel_is_named_as_archived(spring: SlackHarness) -> None:
    spring.fake.channels["COLD"] = {
        "id": "COLD",
        "name": "old",
        "is_member": True,
        "is_archived": True,
    }
    reply = await spring.command("/pivot cohort channel spring <#COLD|old>", user="UOLGA")
    assert "#old is archived" in reply.text


async def test_private_channel_the_bot_cannot_see_asks_for_an_invite(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot cohort channel spring <#GSECRET|secret>", user="UOLGA")
    assert "If it is private, invite it there with `/invite @pivotbot` first" in reply.text


async def test_export_arrives_as_a_file_in_the_members_dm(spring: SlackHarness) -> None:
    reply = await spring.command("/pivot export")
    assert "Here is everything pivotbot stores about you" in reply.text
    await spring.settled()
    completed = spring.fake.calls_to("files.completeUploadExternal")
    assert [c.args.get("channel_id") for c in completed] == ["DUADA"]
    (content,) = spring.fake.uploads.values()
    assert b'"user_id": "UADA"' in content


async def test_empty_oauth_variables_in_the_environment_keep_the_bot_token(
    lookups: AsyncEngine,
    core: PivotCore,
    settings: Settings,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "")  # as `--env-file .env.example` leaves them
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "")
    harness = await start_slack(
        PlatformInputs(core, slack_settings(settings, fake_slack), lookups), fake_slack
    )
    try:
        reply = await harness.command("/pivot help")
        async with harness.http.get(harness.url + "/slack/install") as install:
            assert install.status == 404
    finally:
        await harness.stop()
    assert "/pivot join" in reply.text


async def test_a_reused_trigger_id_never_hands_one_members_reply_to_another(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    joined = await spring.command("/pivot join spring", user="UGRACE", user_name="grace")
    assert "Welcome" in joined.text, joined.text
    ada = await spring.command("/pivot checkin 5h ada's week", trigger_id="1337.reused")
    grace = await spring.command(
        "/pivot checkin 3h grace's week", user="UGRACE", user_name="grace", trigger_id="1337.reused"
    )
    assert "ada's week" in ada.text
    assert "grace's week" in grace.text
    assert "ada's week" not in grace.text
    async with engine.connect() as connection:
        summaries = set(await connection.scalars(select(Checkin.summary)))
    assert summaries == {"ada's week", "grace's week"}


async def test_a_reused_trigger_id_for_another_command_runs_that_command(
    spring: SlackHarness,
) -> None:
    await spring.command("/pivot checkin 5h first", trigger_id="1337.again")
    done = await spring.command("/pivot done write-tests", trigger_id="1337.again")
    assert "Write tests" in done.text, done.text


async def test_slacks_retry_of_the_same_request_gets_the_same_reply_and_counts_once(
    spring: SlackHarness, engine: AsyncEngine
) -> None:
    first = await spring.command("/pivot checkin 5h once", trigger_id="1337.retry")
    again = await spring.command("/pivot checkin 5h once", trigger_id="1337.retry")
    assert again.text == first.text
    async with engine.connect() as connection:
        amendments = await connection.scalar(select(Checkin.amendments))
    assert amendments == 0


async def test_a_timezone_that_names_a_folder_is_answered_at_the_response_url(
    spring: SlackHarness,
) -> None:
    reply = await spring.command("/pivot settings tz America/Indiana")
    assert reply.text.startswith("tz must be a timezone like Europe/Berlin")
    assert "\n" not in reply.text
