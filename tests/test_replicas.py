"""Three ``pivotbot serve`` replicas on one PostgreSQL database behave as one bot.

They share a fake Slack (HTTP mode) and a fake Discord whose gateway has two shards: replica A
runs shard 0, replica B shard 1, replica C no gateway at all. All three run the scheduler.

- A due fan-out of 2,000 DMs, planned by all three at start, goes out exactly once, with the
  per-workspace send caps holding for the three together; C is killed with SIGKILL midway, and
  only the deliveries it held at that moment may reach anyone twice.
- Then, with C back, 300 signed slash commands spread round robin are all answered, Slack's
  retries of some of them land on another replica and change nothing, interactions reach the
  replica that runs their guild's shard, and the database holds exactly the commands' effects.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.models import Checkin, Cohort, Delivery, Member, MilestoneProgress, Tenant
from scheduler.send_budgets import burst
from testkit.discord_payloads import Person, slash
from testkit.fake_discord import FakeDiscord
from testkit.fake_discord_gateway import FakeGuild
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import SIGNING_SECRET, next_id, signed_headers, slash_command
from tests.support.databases import truncate_all
from tests.support.serve_process import ServeProcess
from tests.support.slack_harness import BOT_TOKEN

pytestmark = pytest.mark.postgres

WORKSPACES = ("T1", "T2", "T3", "T4")
SLACK_EACH = 300
GUILDS = (2 << 22, 3 << 22)  # on shard 0 and shard 1 of two
DISCORD_EACH = 400
PER_WORKSPACE = 40.0  # messages a second to one workspace or guild, all replicas together
COMMAND_USERS = 100
IN_FLIGHT = 8
WAIT_LIMIT = 180.0  # only so a broken run fails instead of hanging; a loaded machine is slow


@pytest.fixture
async def postgres(postgres_database: str | None) -> AsyncIterator[AsyncEngine]:
    if postgres_database is None:
        pytest.skip("no PostgreSQL: set PIVOTBOT_TEST_POSTGRES_URL to a server that answers")
    engine = create_engine(postgres_database)
    await truncate_all(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    fake.gateway.shard_count = 2
    for guild in GUILDS:
        fake.add_guild(FakeGuild(guild, f"guild {guild}")).channel("general", guild + 1)
    for index in range(DISCORD_EACH * len(GUILDS)):
        fake.add_user(_discord_user(index), f"member {index}")
    fake.add_user(_discord_user(-1), "Ada")
    await fake.start()
    yield fake
    await fake.stop()


def _discord_user(index: int) -> int:
    return 810000000000000000 + index + 1


def _nudge_slot(now: datetime) -> tuple[str, int]:
    """A timezone and weekday in which a 00:00 nudge fell due today, and whose week is not about
    to end: the fan-out must not go stale while the test runs, whatever the real time."""
    zone = "UTC" if (now.weekday(), now.hour) < (6, 23) else "Etc/GMT+2"
    return zone, now.astimezone(ZoneInfo(zone)).weekday()


async def _seed_fan_out(engine: AsyncEngine) -> None:
    """2,000 members whose weekly nudge fell due today: 300 in each of four Slack workspaces
    and 400 in each of two Discord guilds, in one cohort per tenant."""
    now = datetime.now(UTC)
    zone, weekday = _nudge_slot(now)
    tenants = [("slack", t, SLACK_EACH) for t in WORKSPACES]
    tenants += [("discord", str(g), DISCORD_EACH) for g in GUILDS]
    joined = now - timedelta(days=8)
    discord_index = 0
    async with engine.begin() as connection:
        for platform, external_id, count in tenants:
            tenant_id = (
                await connection.execute(
                    Tenant.__table__.insert().returning(Tenant.__table__.c.id),
                    {"platform": platform, "external_id": external_id, "created_at": joined},
                )
            ).scalar_one()
            cohort_id = (
                await connection.execute(
                    Cohort.__table__.insert().returning(Cohort.__table__.c.id),
                    {
                        "tenant_id": tenant_id,
                        "name": "spring",
                        "start_date": joined.date(),
                        "timezone": zone,
                        "channel_id": None,
                        "channel_name": None,
                        "leaderboard_weekday": 4,
                        "leaderboard_time": time(16, 0),
                        "roadmap_key": "standard",
                        "created_at": now,
                    },
                )
            ).scalar_one()
            rows = []
            for index in range(count):
                if platform == "slack":
                    user_id = f"U{external_id}{index:04d}"
                else:
                    user_id = str(_discord_user(discord_index))
                    discord_index += 1
                rows.append(
                    {
                        "tenant_id": tenant_id,
                        "cohort_id": cohort_id,
                        "user_id": user_id,
                        "display_name": f"member {index}",
                        "track": "standard",
                        "level": "mid",
                        "timezone": zone,
                        "nudge_weekday": weekday,
                        "nudge_time": time(0, 0),
                        "joined_at": joined,
                        "plan_start": joined.date(),
                        "phase": 1,
                        "phase_started_on": joined.date(),
                        "leaderboard_visible": True,
                        "dms_enabled": True,
                        "left_at": None,
                    }
                )
            await connection.execute(Member.__table__.insert(), rows)


def _settings(database_url: str, slack: FakeSlack, discord: FakeDiscord, shards: str) -> dict:
    return {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DISCORD_TOKEN": discord.token,
        "DISCORD_API_URL": discord.api_url,
        "DISCORD_GUILD_IDS": ",".join(map(str, GUILDS)),
        "DISCORD_SHARD_COUNT": "2",
        "DISCORD_SHARD_IDS": shards,
        "SLACK_SEND_RATE_PER_WORKSPACE": str(PER_WORKSPACE),
        "SLACK_SEND_RATE_TOTAL": "1000",
        "DISCORD_SEND_RATE_PER_GUILD": str(PER_WORKSPACE),
        "DISCORD_SEND_RATE_TOTAL": "1000",
        "DELIVERY_LEASE_SECONDS": "5",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
    }


def _received(slack: FakeSlack, discord: FakeDiscord) -> Counter[str]:
    """Fan-out messages each member received, by user id (command replies are not counted)."""
    got: Counter[str] = Counter()
    for call in slack.calls_to("chat.postMessage"):
        got[str(call.args["channel"]).removeprefix("D")] += 1
    dm_users = {}
    for index in range(DISCORD_EACH * len(GUILDS)):
        user = _discord_user(index)
        try:
            dm_users[str(discord.dm_channel_of(user))] = str(user)
        except KeyError:
            continue  # not sent to yet
    for call in discord.find("POST", r"/channels/\d+/messages"):
        channel = call.path.split("/")[2]
        if channel in dm_users:
            got[dm_users[channel]] += 1
    return got


async def _until(predicate: Callable[[], bool]) -> None:
    async with asyncio.timeout(WAIT_LIMIT):
        while not predicate():  # noqa: ASYNC110 - fakes in this process; polling is simplest
            await asyncio.sleep(0.1)


def _busiest_second(moments: list[float]) -> int:
    moments = sorted(moments)
    ends = 0
    most = 0
    for start, moment in enumerate(moments):
        while ends < len(moments) and moments[ends] - moment < 1.0:
            ends += 1
        most = max(most, ends - start)
    return most


async def _held_by(engine: AsyncEngine, pid: int) -> set[str]:
    """The members whose deliveries a process held (claimed, not yet recorded)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(Delivery.target_user_id).where(
                Delivery.status == "sending", Delivery.lease_owner.like(f"deliverer-{pid}-%")
            )
        )
        return {str(user) for (user,) in rows}


async def _sent(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).where(Delivery.kind == "nudge", Delivery.status == "sent")
        return int(await connection.scalar(query) or 0)


async def _slash(http: aiohttp.ClientSession, url: str, slack: FakeSlack, body: str, key: str):
    async with http.post(url + "/slack/events", data=body, headers=signed_headers(body)) as answer:
        assert answer.status == 200
    (reply,) = await slack.wait_for_responses(key)
    return str(reply.body["text"])


async def test_three_replicas_on_one_postgres_behave_as_one_bot(
    postgres: AsyncEngine,
    postgres_database: str,
    fake_slack: FakeSlack,
    fake_discord: FakeDiscord,
    tmp_path: Path,
) -> None:
    await _seed_fan_out(postgres)
    total = SLACK_EACH * len(WORKSPACES) + DISCORD_EACH * len(GUILDS)
    settings = {
        name: _settings(postgres_database, fake_slack, fake_discord, shards)
        for name, shards in (("a", "0"), ("b", "1"), ("c", "none"))
    }
    replicas = {
        name: await ServeProcess.start(env, tmp_path, name) for name, env in settings.items()
    }
    try:
        await asyncio.gather(*(replica.ready() for replica in replicas.values()))
        assert set(fake_discord.gateway.shards) == {0, 1}  # one replica each

        # --- the fan-out, with replica C killed midway ---
        await _until(lambda: sum(_received(fake_slack, fake_discord).values()) >= total // 4)
        doomed = replicas["c"]
        await doomed.kill()
        held = await _held_by(postgres, doomed.process.pid)
        async with asyncio.timeout(WAIT_LIMIT):
            while await _sent(postgres) < total:  # noqa: ASYNC110 - the database has no event
                await asyncio.sleep(0.2)
        received = _received(fake_slack, fake_discord)
        assert len(received) == total  # nobody missed
        twice = {user for user, count in received.items() if count > 1}
        assert max(received.values()) <= 2
        assert twice <= held  # only what C held when it died went out twice
        async with postgres.connect() as connection:
            nudges = await connection.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.kind == "nudge")
            )
        assert nudges == total  # three planners, one row each
        for workspace in WORKSPACES:
            moments = [
                call.at
                for call in fake_slack.calls_to("chat.postMessage")
                if str(call.args["channel"]).startswith(f"DU{workspace}")
            ]
            # Three replicas each with its own cap would send three times as fast; one shared
            # cap allows its rate and a burst, and a second burst's worth of arrival jitter.
            assert _busiest_second(moments) <= PER_WORKSPACE + 2 * burst(PER_WORKSPACE)

        # --- commands, with C back ---
        replicas["c"] = await ServeProcess.start(settings["c"], tmp_path, "c-again")
        await replicas["c"].ready()
        urls = [replica.url for replica in replicas.values()]
        users = [f"UC{index:03d}" for index in range(COMMAND_USERS)]
        steps = [
            "join",
            "checkin 5h read the payments service | none",
            "done git-workflow https://example.org/pr/1",
        ]
        replies: list[str] = []
        retried: list[tuple[str, str]] = []
        gate = asyncio.Semaphore(IN_FLIGHT)
        async with aiohttp.ClientSession() as http:

            async def command(number: int, user: str, text: str) -> None:
                key = next_id("replica")
                body = slash_command(text, response_url=fake_slack.response_url(key), user=user)
                async with gate:
                    replies.append(await _slash(http, urls[number % 3], fake_slack, body, key))
                if text.startswith("checkin") and number % 10 == 0:
                    retried.append((body, key))  # Slack retries it at the next replica

            for round_, text in enumerate(steps):
                await asyncio.gather(
                    *(
                        command(round_ * COMMAND_USERS + index, user, text)
                        for index, user in enumerate(users)
                    )
                )
            for number, (body, key) in enumerate(retried):
                headers = signed_headers(body, retry_num=1)
                async with http.post(
                    urls[(number + 1) % 3] + "/slack/events", data=body, headers=headers
                ) as answer:
                    assert answer.status == 200
                await fake_slack.wait_for_responses(key, 2)
            for guild in GUILDS:
                ada = Person(_discord_user(-1), "Ada")
                payload = slash("join", by=ada, in_guild=guild, in_channel=guild + 1)
                await fake_discord.gateway.dispatch("INTERACTION_CREATE", payload)
                path = f"/interactions/{payload['id']}/{payload['token']}/callback"
                await fake_discord.wait_for(lambda p=path: fake_discord.find("POST", p))
    finally:
        codes = {name: await replica.stop() for name, replica in replicas.items()}

    assert codes == {"a": 0, "b": 0, "c": 0}
    assert len(replies) == 3 * COMMAND_USERS
    assert sum("Welcome to cohort spring" in reply for reply in replies) == COMMAND_USERS
    assert sum("Checked in for" in reply for reply in replies) == COMMAND_USERS
    assert sum("Use Git beyond commits — done" in reply for reply in replies) == COMMAND_USERS
    async with postgres.connect() as connection:
        ours = select(Member.id).where(Member.user_id.like("UC%"))
        members = await connection.scalar(select(func.count()).where(Member.id.in_(ours)))
        checkins = (
            await connection.execute(
                select(Checkin.summary, Checkin.amendments).where(Checkin.member_id.in_(ours))
            )
        ).all()
        done = await connection.scalar(
            select(func.count())
            .select_from(MilestoneProgress)
            .where(MilestoneProgress.member_id.in_(ours))
        )
        in_guilds = await connection.scalar(
            select(func.count()).where(Member.user_id == str(_discord_user(-1)))
        )
    assert members == COMMAND_USERS
    assert sorted(set(checkins)) == [("read the payments service", 0)]  # retries changed nothing
    assert len(checkins) == COMMAND_USERS
    assert done == COMMAND_USERS
    assert in_guilds == 2  # one join per guild, each answered by its shard's replica
    for name in ("a", "b", "c-again"):
        lines = (tmp_path / f"{name}.log").read_text().splitlines()
        logged = [json.loads(line) for line in lines]  # every line one JSON object
        assert all({"time", "level", "logger", "message"} <= set(line) for line in logged), name
