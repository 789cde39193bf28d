"""Bad input and failures never hurt: one-line replies, no tracebacks, nothing half-written."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.commands.catalogue import default_registry
from bot.commands.errors import UsageError
from bot.commands.spec import CommandSpec, Context, Registry
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Checkin, Member
from bot.messages import Invocation, Reply
from testkit.driver import BotDriver
from tests.conftest import START
from tests.support.databases import truncate_all


async def _write_then(inv: Invocation, ctx: Context, failure: Exception) -> Reply:
    member, _ = ctx.joined()
    ctx.session.add(
        Checkin(
            member_id=member.id,
            iso_week="2026-W49",
            week_start=START.date(),
            hours=1,
            summary="half-done",
            created_at=ctx.now,
            updated_at=ctx.now,
            amendments=0,
        )
    )
    await ctx.session.flush()
    raise failure


def _core_with(core: PivotCore, failure: Exception) -> PivotCore:
    async def handler(inv: Invocation, ctx: Context) -> Reply:
        return await _write_then(inv, ctx, failure)

    broken = CommandSpec(
        name="explode", summary="fails after writing", example="/pivot explode", handler=handler
    )
    registry = Registry([*default_registry().specs, broken])
    return PivotCore(core.sessions, core.clock, core.content, core.settings, registry)


async def _checkin_count(core: PivotCore) -> int:
    async with core.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Checkin)) or 0)


async def test_a_bug_after_a_write_saves_nothing_and_shows_no_traceback(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    broken = BotDriver(_core_with(bot.core, RuntimeError("boom")), bot.clock)
    reply = await broken.say("/pivot explode")
    assert reply.is_error
    assert "Something went wrong on our side and nothing was saved" in reply.text
    assert "Traceback" not in reply.text
    assert "boom" not in reply.text
    assert await _checkin_count(bot.core) == 0


async def test_a_usage_error_after_a_write_saves_nothing(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    broken = BotDriver(
        _core_with(bot.core, UsageError("Nope. Expected `/pivot status`.")), bot.clock
    )
    reply = await broken.say("/pivot explode")
    assert reply.text == "Nope. Expected `/pivot status`."
    assert await _checkin_count(bot.core) == 0


async def test_two_joins_at_once_make_one_member(bot: BotDriver) -> None:
    first, second = await asyncio.gather(bot.say("/pivot join"), bot.say("/pivot join"))
    assert {r.is_error for r in (first, second)} == {False}
    assert "already in" in first.text + second.text
    async with bot.core.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Member)) == 1


async def test_the_same_retried_request_at_once_is_answered_the_same(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    replies = await asyncio.gather(
        *(bot.say("/pivot checkin 5h same", request_id="retry-7") for _ in range(3))
    )
    assert len({r.text for r in replies}) == 1
    async with bot.core.sessions() as session:
        row = await session.scalar(select(Checkin))
    assert row is not None
    assert row.amendments == 0


TEXTS = st.text(max_size=300) | st.lists(
    st.sampled_from(
        [
            "checkin",
            "join",
            "done",
            "settings",
            "nudge",
            "cohort",
            "admin",
            "|",
            "5h",
            "-1",
            "tz",
            "track",
            "fast",
            "<@U1|x>",
            "<#C1>",
            "#",
            "https://",
            "'; DROP TABLE members; --",
            "🐍",
            "\x00",
            "\n",
            "quiz",
            "forget",
            "confirm",
            "pause",
            "99999999999999999999",
        ]
    ),
    max_size=8,
).map(" ".join)


def test_arbitrary_text_only_ever_gets_a_reply(database_url: str) -> None:
    """Whatever arrives, the answer is a normal reply or a one-line usage error."""
    url = database_url
    loop = asyncio.new_event_loop()
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        loop.run_until_complete(truncate_all(engine))
    clock = ManualClock(START)
    settings_ = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = PivotCore(session_factory(engine), clock, load_library(), settings_)
    driver = BotDriver(core, clock, admins={"ada"})
    loop.run_until_complete(driver.say("/pivot cohort create spring"))
    loop.run_until_complete(driver.say("/pivot join"))

    @settings(max_examples=200, deadline=None)
    @given(text=TEXTS)
    def check(text: str) -> None:
        reply = loop.run_until_complete(driver.say(text))
        assert "Something went wrong on our side" not in reply.text
        if reply.is_error:
            assert "\n" not in reply.text

    try:
        check()
    finally:
        loop.run_until_complete(engine.dispose())
        loop.close()
