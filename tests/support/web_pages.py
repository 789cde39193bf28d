"""A cohort with a past, made through the bot's own commands, and its two web pages.

The browser tests and the README's screenshots both start here: members who check in, go
quiet, pause, hide from the boards, name the same blocker, mark milestones and pass or fail
gate quizzes, week after week on the test clock. ``dashboard_of`` and ``roadmap_of`` read the
pages through ``bot.services.page_data`` in one transaction, as the signed-link route does.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import ContentLibrary
from bot.db.models import Cohort, Member, Tenant
from bot.pages import DashboardPage, RoadmapPage
from bot.services.page_data import dashboard_page, roadmap_page
from testkit.driver import BotDriver
from tests.support.quiz import answer_all, finish_phase_milestones

COHORT = "spring"
ADMIN = "olga"


NAMES = ("ada", "grace", "bob", "lin", "kim", "raj", "zoe")


async def seed_cohort(
    bot: BotDriver,
    content: ContentLibrary,
    weeks: int = 12,
    *,
    create: bool = True,
    names: tuple[str, ...] = NAMES,
    steady: tuple[str, ...] = (),
) -> None:
    """``weeks`` weeks of a cohort, one command at a time as members would type them. With the
    default ``names``:

    - ada checks in every week, does phase 1's milestones and passes its gate;
    - grace checks in, fails the gate once, then passes it after the cooldown;
    - bob checks in for three weeks and then goes quiet;
    - lin hides from the boards and pauses for three weeks in the middle;
    - kim and raj share a blocker, and kim's confidence stays low;
    - zoe joins and never checks in.

    Each of ``steady`` checks in most weeks, with hours that vary.
    """
    ada, grace, bob, lin, kim, raj, _zoe = names
    required = [m.key for m in content.roadmap(None).phase(1).milestones if m.required]
    if create:
        reply = await bot.say(f"/pivot cohort create {COHORT} #pivot-{COHORT}", as_=ADMIN)
        assert not reply.is_error, reply.text
    for name in (*names, *steady):
        reply = await bot.say(f"/pivot join {COHORT}", as_=name)
        assert not reply.is_error, reply.text
    await bot.say("/pivot settings leaderboard hide", as_=lin)
    for week in range(weeks):
        await _checkin(bot, ada, f"{7 + week % 3}h built the pipeline, week {week + 1}")
        await _checkin(bot, grace, f"{5 + week % 4}h notebooks to modules | | 4")
        if week < 3:
            await _checkin(bot, bob, "4h read the docs")
        if week == weeks // 2 - 1:
            await bot.say("/pivot pause 3", as_=lin)
        if not weeks // 2 - 1 <= week < weeks // 2 + 2:
            await _checkin(bot, lin, "6h feature store reading")
        confidence = 2 if week >= weeks - 3 else 3
        await _checkin(bot, kim, f"3h tried ci | blocked on docker networking | {confidence}")
        await _checkin(bot, raj, "5h serving demo | docker networking again | 3")
        if week == weeks // 2:
            await finish_phase_milestones(bot, content, 1, as_=ada)
            await finish_phase_milestones(bot, content, 1, as_=grace)
            await answer_all(bot, await bot.say("/pivot quiz", as_=ada), content, right=8, as_=ada)
            await answer_all(
                bot, await bot.say("/pivot quiz", as_=grace), content, right=2, as_=grace
            )
        if week == weeks // 2 + 2:
            await answer_all(
                bot, await bot.say("/pivot quiz", as_=grace), content, right=8, as_=grace
            )
        for index, name in enumerate(steady):
            if (week + index) % 7:
                await _checkin(bot, name, f"{3 + (week * (index + 2)) % 9}h steady progress")
            # A milestone at the end of each month; every other member a month later.
            nth = (week + 1) // 4 - index % 2
            if week % 4 == 3 and 1 <= nth <= len(required):
                key = required[nth - 1]
                await bot.say(f"/pivot done {key} https://example.org/{name}/{key}", as_=name)
        bot.advance(weeks=1)


async def _checkin(bot: BotDriver, name: str, text: str) -> None:
    reply = await bot.say(f"/pivot checkin {text}", as_=name)
    assert not reply.is_error, reply.text


async def cohort_named(bot: BotDriver, session: AsyncSession, name: str) -> Cohort:
    cohort = await session.scalar(
        select(Cohort)
        .join(Tenant, Tenant.id == Cohort.tenant_id)
        .where(Tenant.external_id == bot.tenant, Cohort.name == name)
    )
    assert cohort is not None, name
    return cohort


async def dashboard_of(bot: BotDriver, cohort_name: str = COHORT) -> DashboardPage:
    async with bot.core.sessions() as session, session.begin():
        cohort = await cohort_named(bot, session, cohort_name)
        roadmap = bot.core.content.roadmap(cohort.roadmap_key)
        return await dashboard_page(session, cohort, roadmap, bot.clock.now())


async def roadmap_of(bot: BotDriver, user: str, cohort_name: str = COHORT) -> RoadmapPage:
    async with bot.core.sessions() as session, session.begin():
        cohort = await cohort_named(bot, session, cohort_name)
        member = await session.scalar(
            select(Member).where(Member.cohort_id == cohort.id, Member.user_id == user.lower())
        )
        assert member is not None, user
        roadmap = bot.core.content.roadmap(cohort.roadmap_key)
        return await roadmap_page(session, member, cohort, roadmap, bot.clock.now())
