"""One workspace never sees another's data, and only admins run cohort commands."""

from __future__ import annotations

import pytest

from bot.commands.catalogue import default_registry
from testkit.driver import BotDriver

ADMIN_EXAMPLES = [spec.example for spec in default_registry().specs if spec.admin_only]


async def test_another_tenant_sees_none_of_the_first_tenants_data(bot: BotDriver) -> None:
    await bot.say("/pivot join spring")
    await bot.say("/pivot checkin 6h private work | private blocker")
    # The same user id in another workspace is another person with nothing stored.
    other = await bot.say("/pivot status", tenant="globex")
    assert other.is_error
    assert "haven't joined" in other.text
    refused = await bot.say("/pivot join spring", tenant="globex")
    assert refused.is_error
    assert "There's no cohort" in refused.text
    assert "no cohort here yet" in refused.text or "no cohorts yet" in refused.text
    globex = BotDriver(bot.core, bot.clock, tenant="globex", admins={"gus"})
    untouched = await globex.say("/pivot cohort channel spring #mine", as_="gus")
    assert "There's no cohort `spring` here" in untouched.text
    await globex.say("/pivot cohort create spring", as_="gus")
    listing = await globex.say("/pivot cohort list", as_="gus")
    assert "0 members" in listing.text
    assert "olga" not in listing.text
    exported = await bot.say("/pivot export", tenant="globex")
    assert exported.is_error


async def test_an_admin_of_one_tenant_is_not_an_admin_of_another(bot: BotDriver) -> None:
    reply = await bot.say("/pivot cohort channel spring #elsewhere", as_="olga", tenant="globex")
    assert reply.is_error
    assert "Only cohort admins" in reply.text


@pytest.mark.parametrize("example", ADMIN_EXAMPLES)
async def test_a_non_admin_is_refused_every_cohort_command(bot: BotDriver, example: str) -> None:
    await bot.say("/pivot join", as_="mallory")
    reply = await bot.say(example, as_="mallory")
    assert reply.is_error
    assert "Only cohort admins can run" in reply.text


async def test_a_stored_cohort_admin_runs_only_their_own_cohort(bot: BotDriver) -> None:
    await bot.say("/pivot cohort create autumn", as_="olga")
    await bot.say("/pivot cohort admin add @sam spring", as_="olga")
    assert (
        "now posts in #pivot-s2"
        in (await bot.say("/pivot cohort channel spring #pivot-s2", as_="sam")).text
    )
    refused = await bot.say("/pivot cohort channel autumn #pivot-a2", as_="sam")
    assert refused.is_error
    assert "Only admins of cohort autumn" in refused.text


async def test_admin_actions_are_audited(bot: BotDriver) -> None:
    from sqlalchemy import select

    from bot.db.models import AuditEntry

    await bot.say("/pivot cohort admin add @sam spring", as_="olga")
    async with bot.core.sessions() as session:
        rows = list(await session.execute(select(AuditEntry.action, AuditEntry.actor_user_id)))
    assert ("cohort create", "olga") in [tuple(r) for r in rows]
    assert ("cohort admin add", "olga") in [tuple(r) for r in rows]
