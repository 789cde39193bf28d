"""Input the storage cannot hold is refused in one line (or cleaned) before it reaches it.

PostgreSQL refuses what SQLite lets through (a string longer than its column, NUL in text), and
both refuse lone surrogates and integers beyond 64 bits; each would otherwise be a bug reply on
one database only. These tests run on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.core import PivotCore
from bot.db.models import Checkin, Member
from bot.messages import ArgValue
from testkit.driver import BotDriver

BUG = "Something went wrong on our side"

# A valid value of each kind, for the arguments a case does not exercise.
SAMPLES: dict[ArgKind, ArgValue] = {
    ArgKind.WORD: "spring",
    ArgKind.TEXT: "built the thing",
    ArgKind.INT: 1,
    ArgKind.HOURS: "5h",
    ArgKind.DATE: "2026-12-07",
    ArgKind.TIME: "09:00",
    ArgKind.WEEKDAY: "mon",
    ArgKind.TIMEZONE: "Europe/Berlin",
    ArgKind.URL: "https://example.com/pr/1",
    ArgKind.USER: "<@UGRACE|grace>",
    ArgKind.CHANNEL: "<#CSPRING|pivot-spring>",
}


def _oversized(arg: Arg) -> Iterator[ArgValue]:
    """Values at and past every length a column of ours has, and integers past 32 and 64 bits."""
    lengths = sorted({arg.max_length, arg.max_length + 1, 16, 17, 40, 41, 64, 65, 80, 81, 501})
    match arg.kind:
        case ArgKind.TEXT | ArgKind.WORD:
            yield from ("w" * n for n in lengths)
        case ArgKind.URL:
            yield from ("https://e.io/" + "p" * n for n in lengths)
        case ArgKind.USER | ArgKind.CHANNEL:
            sigil = "@" if arg.kind is ArgKind.USER else "#"
            for n in (64, 65, 80, 81, 130):
                yield f"<{sigil}{'I' * n}|name>"
                yield f"<{sigil}ID1|{'n' * n}>"
                yield f"{sigil}{'n' * n}"
                yield f"{'I' * n}|{'n' * 10}"
        case ArgKind.INT:
            yield from (2**31, 2**31 - 1, -(2**31) - 1, 2**63, -(2**63) - 1, 10**30, "1" * 40)
        case ArgKind.DATE:
            yield from ("9999-06-01", "0001-01-01", "9999-12-31", "1000-01-01")


def _cases() -> Iterator[tuple[str, str, ArgValue]]:
    from bot.commands.catalogue import default_registry

    for spec in default_registry().specs:
        for arg in spec.args:
            for value in _oversized(arg):
                yield spec.name, arg.name, value


def _args(spec: CommandSpec, name: str, value: ArgValue) -> dict[str, ArgValue]:
    args = {a.name: SAMPLES.get(a.kind) for a in spec.args if a.required}
    for a in spec.args:
        if a.kind is ArgKind.CHOICE and a.required:
            args[a.name] = a.choices[0]
    args[name] = value
    return args


CASES = list(_cases())


async def test_no_argument_accepts_more_than_its_column_holds(
    core: PivotCore, bot: BotDriver
) -> None:
    """Every argument of every command, at and past each column length, typed and as text."""
    assert len(CASES) > 100
    await bot.say("/pivot join spring", as_="olga")
    failures = []
    for number, (command, name, value) in enumerate(CASES):
        spec = core.registry.get(command)
        assert spec is not None
        if command in ("forget", "leave"):
            continue  # tested elsewhere; they would end the member the other cases need
        reply = await bot.say("", as_="olga", command=command, args=_args(spec, name, value))
        if BUG in reply.text:
            failures.append(f"{command} {name}={str(value)[:30]}...")
        arg = spec.arg(name)
        assert arg is not None
        if not arg.hidden and not arg.keyword and arg.kind is not ArgKind.CHOICE:
            text = f"/pivot {command} {value}"
            if BUG in (await bot.say(text, as_="olga", request_id=f"t{number}")).text:
                failures.append(text[:60])
    assert failures == []


async def test_ids_longer_than_their_columns_get_one_line(bot: BotDriver) -> None:
    for who in ("U" * 65, "u" * 200):
        reply = await bot.say("/pivot join", as_=who)
        assert reply.is_error
        assert BUG not in reply.text
        assert "\n" not in reply.text
    for tenant in ("T" * 65,):
        reply = await bot.say("/pivot join", tenant=tenant)
        assert reply.is_error
        assert BUG not in reply.text
    reply = await bot.say("/pivot status", channel="C" * 65)
    assert BUG not in reply.text
    refused = await bot.say("/pivot join", request_id="r" * 300)
    assert refused.text == (
        "pivotbot can't take this request: its request id is 300 characters, and the limit is 128."
    )


async def test_a_long_display_name_is_kept_as_far_as_its_column_goes(bot: BotDriver) -> None:
    inv = bot.invocation("/pivot join")
    long_name = replace(inv.user, display_name="Ada" + "x" * 200)
    reply = await bot.core.answer(replace(inv, user=long_name))
    assert not reply.is_error, reply.text
    async with bot.core.sessions() as session:
        name = await session.scalar(select(Member.display_name))
    assert name is not None
    assert name.startswith("Adaxxx")


BROKEN = "shipped \ud800 the \x00 API\x1b[31m \udcff today"


async def test_lone_surrogates_and_control_characters_are_cleaned_at_the_edge(
    bot: BotDriver,
) -> None:
    joined = await bot.say("/pivot join", as_="Ad\ud83a\x00a")
    assert not joined.is_error, joined.text
    typed = await bot.say(f"/pivot checkin 5h {BROKEN} | none \udc80", as_="Ad\ud83a\x00a")
    assert not typed.is_error, typed.text
    async with bot.core.sessions() as session:
        checkin = await session.scalar(select(Checkin))
        member = await session.scalar(select(Member))
    assert checkin is not None
    assert member is not None
    assert "\x00" not in checkin.summary
    assert "\x1b" not in checkin.summary
    assert "\ud800" not in checkin.summary
    assert checkin.summary.startswith("shipped")
    assert checkin.summary.endswith("today")
    assert "\x00" not in member.display_name
    options = await bot.say(
        "",
        as_="Ad\ud83a\x00a",
        command="checkin",
        args={"hours": "6h", "summary": BROKEN, "blockers": "\udcff\x00"},
    )
    assert not options.is_error, options.text


async def test_a_date_outside_the_years_plans_handle_gets_one_line(bot: BotDriver) -> None:
    for start in ("9999-06-01", "0001-01-01", "9999-12-31"):
        reply = await bot.say(f"/pivot cohort create far start {start}", as_="olga")
        assert reply.is_error
        assert BUG not in reply.text
        assert "\n" not in reply.text


@pytest.mark.parametrize("attempt", [10**30, 2**63, 2**31, -(2**63) - 1])
async def test_a_button_value_past_what_an_integer_column_holds_gets_one_line(
    bot: BotDriver, attempt: int
) -> None:
    await bot.say("/pivot join")
    reply = await bot.say("", command="quiz answer", args={"n": 1, "a": attempt, "q": 0})
    assert reply.is_error
    assert BUG not in reply.text
    assert "\n" not in reply.text
