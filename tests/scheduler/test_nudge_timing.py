"""Nudges arrive at each member's own local time: across DST, at the edges of the date line,
and in ISO week 53, exactly once a week."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.core import PivotCore
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from tests.scheduler.conftest import deliveries, join_at, run_hourly, utc


async def _nudge_times(core: PivotCore, zone: str) -> list[datetime]:
    return [d.created_at.astimezone(ZoneInfo(zone)) for d in await deliveries(core, "nudge")]


@pytest.mark.parametrize(
    ("zone", "monday_after_change"),
    [
        ("Europe/Berlin", utc(2026, 3, 30)),  # clocks went forward on 29 March
        ("Europe/Berlin", utc(2026, 10, 26)),  # and back on 25 October
        ("America/New_York", utc(2026, 3, 9)),  # forward on 8 March
        ("America/New_York", utc(2026, 11, 2)),  # back on 1 November
    ],
)
async def test_one_nudge_at_nine_local_on_the_monday_after_a_dst_change(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock, zone: str, monday_after_change: datetime
) -> None:
    await join_at(bot, monday_after_change - timedelta(days=7) + timedelta(hours=18), "ada", zone)
    await run_hourly(
        jobs,
        clock,
        monday_after_change - timedelta(days=2),
        monday_after_change + timedelta(days=2),
    )
    [nudge] = await _nudge_times(bot.core, zone)
    assert nudge.weekday() == 0
    assert (nudge.hour, nudge.minute) == (9, 0)


async def test_kiritimati_and_pago_pago_each_get_theirs_on_their_own_monday(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock
) -> None:
    await join_at(bot, utc(2026, 11, 24), "kira", "Pacific/Kiritimati")
    await join_at(bot, utc(2026, 11, 24), "pago", "Pacific/Pago_Pago")
    await run_hourly(jobs, clock, utc(2026, 11, 27), utc(2026, 12, 3))
    nudges = await deliveries(bot.core, "nudge")
    assert len(nudges) == 2
    for nudge in nudges:
        zone = "Pacific/Kiritimati" if nudge.target_user_id == "kira" else "Pacific/Pago_Pago"
        local = nudge.created_at.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.hour) == (0, 9)
        assert nudge.idempotency_key.endswith(":2026-W49")
        assert nudge.period == "2026-W48"  # a Monday nudge asks about the week just ended
    times = sorted(n.created_at for n in nudges)
    assert times[1] - times[0] == timedelta(hours=25)  # UTC+14 and UTC-11 are a day apart


async def test_iso_week_53_gets_exactly_one_nudge(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock
) -> None:
    await join_at(bot, utc(2026, 12, 21, 12), "ada", "Europe/Berlin")
    await run_hourly(jobs, clock, utc(2026, 12, 26), utc(2027, 1, 6))
    nudges = await deliveries(bot.core, "nudge")
    assert [d.idempotency_key.rsplit(":", 1)[1] for d in nudges] == ["2026-W53", "2027-W01"]
    assert [d.period for d in nudges] == ["2026-W52", "2026-W53"]  # the weeks asked about


async def test_the_nudge_follows_a_changed_weekday_and_time(
    bot: BotDriver, jobs: DueJobs, clock: ManualClock
) -> None:
    await join_at(bot, utc(2026, 11, 24), "ada", "Asia/Tokyo")
    await bot.say("/pivot settings nudge thursday 20:30")
    await run_hourly(jobs, clock, utc(2026, 11, 30), utc(2026, 12, 6), timedelta(minutes=30))
    [nudge] = await _nudge_times(bot.core, "Asia/Tokyo")
    assert (nudge.weekday(), nudge.hour, nudge.minute) == (3, 20, 30)
