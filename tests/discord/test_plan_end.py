"""Past the plan's end on Discord: the month stops at the plan's length, ``extend`` takes its
months as an integer option, and ``replan`` and ``settings alumni`` answer as on every surface."""

from __future__ import annotations

from bot.clock import ManualClock
from tests.scheduler.conftest import utc
from tests.support.discord_driver import ADA, OLGA, DiscordDriver


async def test_a_member_past_the_plans_end_extends_it_with_an_integer_option(
    discord_bot: DiscordDriver, clock: ManualClock
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    clock.set(utc(2028, 12, 4, 9))  # month 25 of 24
    status = await discord_bot.slash("status", by=ADA)
    assert "Month 24 of 24 (past the plan's end)" in status.text
    assert "`/pivot extend 24`" in status.text
    extended = await discord_bot.slash("extend", by=ADA, months=24)
    assert "Your plan is 24 months longer: 48 months in all." in extended.text
    assert "Month 25 of 48" in extended.text


async def test_replan_and_the_alumni_setting_answer_on_discord(
    discord_bot: DiscordDriver,
) -> None:
    await discord_bot.slash("cohort create", by=OLGA, name="spring")
    await discord_bot.slash("join", by=ADA)
    refused = await discord_bot.slash("replan", by=ADA)
    assert refused.ephemeral
    assert "nothing to re-plan" in refused.text
    alumni = await discord_bot.slash("settings alumni", by=ADA, visibility="show")
    assert "once you graduate, the weekly post lists you among the cohort's alumni" in alumni.text
