"""Twenty copies of one member's command at once lose nothing, on SQLite and on PostgreSQL.

SQLite serialises writers at BEGIN IMMEDIATE; on PostgreSQL the member's row lock (and, for a
rebuild of a whole cohort, the cohort's) does the same for what they share.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.db.models import Checkin, Pause
from bot.messages import Reply
from testkit.driver import BotDriver

COPIES = 20
BUG = "Something went wrong on our side"


async def _at_once(bot: BotDriver, text: str, as_: str = "ada") -> list[Reply]:
    return list(await asyncio.gather(*(bot.say(text, as_=as_) for _ in range(COPIES))))


async def test_twenty_checkins_at_once_count_nineteen_amendments(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    replies = await _at_once(bot, "/pivot checkin 5h shipped the API | none")
    assert [r.text for r in replies if r.is_error] == []
    async with bot.core.sessions() as session:
        checkins = list(await session.scalars(select(Checkin)))
    assert len(checkins) == 1
    assert checkins[0].amendments == COPIES - 1


async def test_twenty_pauses_at_once_make_one_pause(bot: BotDriver) -> None:
    await bot.say("/pivot join")
    replies = await _at_once(bot, "/pivot pause 2")
    assert [r.text for r in replies if r.is_error] == []
    async with bot.core.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Pause)) == 1


async def test_twenty_recomputes_at_once_all_finish(bot: BotDriver) -> None:
    for name in ("ada", "grace", "linus"):
        await bot.say("/pivot join spring", as_=name)
        await bot.say("/pivot checkin 4h read the docs | none", as_=name)
    replies = await _at_once(bot, "/pivot leaderboard recompute spring", as_="olga")
    assert [r.text for r in replies if BUG in r.text] == []
    assert all("Rebuilt the points of cohort spring" in r.text for r in replies)


async def test_checkins_during_recomputes_are_all_counted(bot: BotDriver) -> None:
    for name in ("ada", "grace"):
        await bot.say("/pivot join spring", as_=name)
    work = [bot.say("/pivot leaderboard recompute spring", as_="olga") for _ in range(5)]
    work += [bot.say(f"/pivot checkin 3h part {n} | none", as_="ada") for n in range(10)]
    work += [bot.say(f"/pivot checkin 2h part {n} | none", as_="grace") for n in range(10)]
    replies = await asyncio.gather(*work)
    assert [r.text for r in replies if r.is_error] == []
    async with bot.core.sessions() as session:
        amendments = list(await session.scalars(select(Checkin.amendments)))
    assert sorted(amendments) == [9, 9]
