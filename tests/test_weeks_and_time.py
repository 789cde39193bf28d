"""Weeks and wall-clock times in each member's own timezone, across DST and ISO week 53."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.weeks import IsoWeek, at_local_time, week_of, weeks_spanned


def test_2026_has_an_iso_week_53_from_dec_28_to_jan_3() -> None:
    assert IsoWeek.of(date(2026, 12, 28)) == IsoWeek(2026, 53)
    assert IsoWeek.of(date(2027, 1, 3)) == IsoWeek(2026, 53)
    assert str(IsoWeek(2026, 53)) == "2026-W53"
    assert IsoWeek(2026, 52).next() == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == IsoWeek(2026, 53)


def test_a_week_53_that_does_not_exist_is_rejected() -> None:
    with pytest.raises(ValueError, match="53"):
        IsoWeek.parse("2027-W53")


def test_the_week_follows_the_members_timezone_not_utc() -> None:
    sunday_night_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert week_of(sunday_night_utc, "UTC") == IsoWeek(2026, 48)
    assert week_of(sunday_night_utc, "Europe/Berlin") == IsoWeek(2026, 49)  # already Monday
    assert week_of(sunday_night_utc, "America/New_York") == IsoWeek(2026, 48)


def test_kiritimati_and_pago_pago_can_be_in_different_weeks_at_one_instant() -> None:
    sunday_utc = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
    assert week_of(sunday_utc, "Pacific/Kiritimati") == IsoWeek(2026, 49)  # Monday 00:30
    assert week_of(sunday_utc, "Pacific/Pago_Pago") == IsoWeek(2026, 48)  # Saturday 23:30


@pytest.mark.parametrize(
    ("zone", "day", "expected_utc_hour"),
    [
        ("Europe/Berlin", date(2026, 3, 23), 8),  # CET, before the March change
        ("Europe/Berlin", date(2026, 3, 30), 7),  # CEST, the Monday after
        ("Europe/Berlin", date(2026, 10, 19), 7),  # CEST, before the October change
        ("Europe/Berlin", date(2026, 10, 26), 8),  # CET, the Monday after
        ("America/New_York", date(2026, 3, 2), 14),  # EST
        ("America/New_York", date(2026, 3, 9), 13),  # EDT, the Monday after
        ("America/New_York", date(2026, 11, 2), 14),  # EST again
    ],
)
def test_nine_oclock_local_stays_nine_oclock_across_dst(
    zone: str, day: date, expected_utc_hour: int
) -> None:
    moment = at_local_time(day, time(9, 0), zone)
    assert moment.hour == expected_utc_hour
    assert moment.astimezone(ZoneInfo(zone)).hour == 9


def test_a_wall_time_skipped_by_spring_forward_moves_forward() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; it becomes 03:30 CEST (01:30 UTC).
    assert at_local_time(date(2026, 3, 29), time(2, 30), "Europe/Berlin") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_a_repeated_autumn_wall_time_takes_the_first_occurrence() -> None:
    assert at_local_time(date(2026, 10, 25), time(2, 30), "Europe/Berlin") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_weeks_spanned_crosses_the_year_boundary_through_week_53() -> None:
    spanned = weeks_spanned(date(2026, 12, 24), date(2027, 1, 5))
    assert spanned == {IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1)}


def test_week_indices_are_consecutive_through_week_53() -> None:
    weeks = [IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1), IsoWeek(2027, 2)]
    assert [w.index - weeks[0].index for w in weeks] == [0, 1, 2, 3]
    assert all(IsoWeek.from_index(w.index) == w for w in weeks)
    assert IsoWeek.parse("2026-W53") == IsoWeek(2026, 53)
