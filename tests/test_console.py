"""The console and the command line, as a person at a terminal or a script uses them."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from adapters.console_adapter.demo import ensure_demo
from adapters.console_adapter.session import ConsoleSession, QuitConsole
from app.cli import parse_now
from bot.clock import ManualClock
from bot.core import PivotCore
from tests.support.transcripts import find_transcripts, replay

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("transcript", find_transcripts(README), ids=lambda t: t.inputs[0][:40])
def test_the_readme_transcript_reproduces_exactly(transcript, tmp_path: Path) -> None:
    assert replay(transcript, tmp_path) == transcript.expected


def test_the_readme_has_a_transcript() -> None:
    assert find_transcripts(README)


@pytest.fixture
async def console(core: PivotCore, clock: ManualClock, tmp_path: Path) -> ConsoleSession:
    await ensure_demo(core, "UTC", "ada")
    return ConsoleSession(core, clock, "ada", out_dir=tmp_path / "out")


async def test_advance_and_now_move_the_simulated_clock(console: ConsoleSession) -> None:
    assert await console.line(":now") == "Now: Monday 2026-11-30 09:00 UTC (ISO week 2026-W49)"
    assert "2026-12-28" in await console.line(":advance 4w")
    assert "ISO week 2026-W53" in await console.line(":advance 3d")
    assert "10:00" in await console.line(":advance 1h")
    assert "Expected `:advance <N>d`" in await console.line(":advance soon")


async def test_the_clock_never_moves_past_the_days_plans_handle(console: ConsoleSession) -> None:
    await console.line("/pivot join")
    for _ in range(200):
        if (await console.line(":advance 9999w")).startswith("Not moved"):
            break
    refused = await console.line(":advance 9999w")
    assert refused == (
        "Not moved: the clock stays within 1970-01-01 to 9899-12-31 (UTC). "
        "Try a smaller step, e.g. `:advance 1w`."
    )
    assert "Something went wrong" not in await console.line("/pivot status")
    assert "Something went wrong" not in await console.line("/pivot checkin 5h late | none")


async def test_press_runs_the_numbered_button_of_the_last_reply(console: ConsoleSession) -> None:
    await console.line("/pivot join")
    milestones = await console.line(":press 2")
    assert "milestones" in milestones
    assert "[1] Status" in milestones
    assert "Phase 1 of 4" in await console.line(":press 1")
    assert "N from 1 to 2" in await console.line(":press 9")


async def test_a_new_name_is_a_new_member_and_the_first_user_is_admin(
    console: ConsoleSession,
) -> None:
    assert "demo" in await console.line("/pivot cohort list")
    assert await console.line(":as grace") == "Now speaking as grace."
    assert "haven't joined" in await console.line("/pivot status")
    assert "Welcome to cohort demo, grace!" in await console.line("/pivot join")
    assert "Only cohort admins" in await console.line("/pivot cohort list")


async def test_export_is_saved_to_a_file(console: ConsoleSession, tmp_path: Path) -> None:
    await console.line("/pivot join")
    output = await console.line("/pivot export")
    assert f"Saved {tmp_path / 'out' / 'pivotbot-export-ada.json'}" in output
    assert (tmp_path / "out" / "pivotbot-export-ada.json").read_text().startswith("{")


async def test_other_lines_get_a_hint_and_quit_leaves(console: ConsoleSession) -> None:
    assert "Type `/pivot <command>`" in await console.line("hello?")
    assert "Unknown console command `:fly`" in await console.line(":fly")
    with pytest.raises(QuitConsole):
        await console.line(":quit")


def test_now_accepts_dates_and_datetimes_with_or_without_an_offset() -> None:
    assert parse_now("2026-11-30") == datetime(2026, 11, 30, tzinfo=UTC)
    assert parse_now("2026-11-30T09:15") == datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    assert parse_now("2026-11-30T09:15+02:00") == datetime(
        2026, 11, 30, 9, 15, tzinfo=timezone(timedelta(hours=2))
    )


@pytest.mark.parametrize("now", ["9999-12-20", "0001-01-01T00:00+05:00", "1969-12-31"])
def test_now_outside_the_days_plans_handle_is_refused_in_one_line(now: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=r"stays within 1970-01-01 to 9899-12-31"):
        parse_now(now)


def test_console_started_at_the_last_supported_days_never_crashes(tmp_path: Path) -> None:
    lines = "/pivot join\n/pivot checkin 5h x | none\n:advance 4w\n:due\n/pivot status\n"
    result = _pivotbot("console", "--now", "9899-12-20", stdin=lines, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Something went wrong" not in result.stdout
    assert "Not moved" in result.stdout


@pytest.mark.parametrize("io_encoding", ["utf-8:strict", "utf-8:surrogateescape"])
def test_invalid_utf8_on_stdin_is_checked_in_without_a_traceback(
    tmp_path: Path, io_encoding: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "console", "--now", "2026-11-30"],
        input=b"/pivot join\n/pivot checkin 5h shipped \xff\xfe\xc3 it | none\n/pivot status\n",
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": io_encoding},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("utf-8")
    assert "Something went wrong" not in out
    assert "Checked in for 2026-W49" in out
    assert "shipped \ufffd" in out


def _pivotbot(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        input=stdin,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_piped_console_prints_each_reply_and_exits_0_at_end_of_input(tmp_path: Path) -> None:
    result = _pivotbot("console", "--now", "2026-11-30", stdin="/pivot join\n:now\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "> /pivot join\nWelcome to cohort demo, ada!" in result.stdout
    assert "Now: Monday 2026-11-30 00:00 UTC" in result.stdout
    assert (tmp_path / "pivotbot.db").exists()  # the default database is a local file


def test_serve_without_any_platform_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    result = _pivotbot("serve", cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert "no platform is configured" in result.stderr


def test_db_upgrade_migrates_a_fresh_database(tmp_path: Path) -> None:
    result = _pivotbot("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "latest schema" in result.stdout
