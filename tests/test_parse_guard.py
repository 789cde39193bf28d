"""Whatever goes wrong while a request is read, the member gets one line back: a usage error
for a mistake, the bug reply for a bug, and never silence or a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.commands.catalogue import default_registry
from bot.commands.spec import CommandSpec, Registry
from bot.core import PivotCore
from testkit.driver import BotDriver

ROOT = Path(__file__).resolve().parent.parent

# Folders of the timezone database, paths out of it, and names no file system opens.
NOT_TIMEZONES = [
    "America/Argentina",
    "America/Indiana",
    "America/Kentucky",
    "Etc",
    "../../../../etc/passwd",
    "Europe/../../../etc/hosts",
    "/etc/localtime",
    "/usr/share/zoneinfo/Europe/Berlin",
    "Europe//Berlin",
    "Europe/Berlin/",
    "Europe/Berlin.",
    "Europe/" + "B" * 70,
    "Europe/" + "\u00e9" * 50,
    "UTC/",
    "posixrules/x",
]


@pytest.mark.parametrize("name", NOT_TIMEZONES)
async def test_a_name_that_is_no_timezone_gets_one_line_on_join_and_settings(
    bot: BotDriver, name: str
) -> None:
    for text in (f"/pivot join tz {name}", f"/pivot settings tz {name}"):
        reply = await bot.say(text)
        assert reply.is_error
        assert "Something went wrong" not in reply.text, text
        assert "\n" not in reply.text
        if text.startswith("/pivot join"):
            assert reply.text.startswith("tz ")
            assert "Europe/Berlin" in reply.text
            assert not (await bot.say("/pivot status")).text.startswith("Phase")
        else:
            await bot.say("/pivot join")


async def test_a_real_timezone_is_still_accepted_in_any_case(bot: BotDriver) -> None:
    joined = await bot.say("/pivot join tz america/argentina/buenos_aires")
    assert not joined.is_error, joined.text
    settings = await bot.say("/pivot settings")
    assert "America/Argentina/Buenos_Aires" in settings.text


async def test_a_bug_while_reading_a_request_gets_the_bug_reply(bot: BotDriver) -> None:
    class BrokenRegistry(Registry):
        def resolve_text(self, text: str) -> tuple[CommandSpec, list[str]]:
            raise RuntimeError("a bug in the parser")

        def get(self, name: str) -> CommandSpec | None:
            raise LookupError("a bug in the lookup")

    core = bot.core
    broken = PivotCore(
        core.sessions,
        core.clock,
        core.content,
        core.settings,
        BrokenRegistry(default_registry().specs),
    )
    driver = BotDriver(broken, bot.clock)
    for reply in (
        await driver.say("/pivot status"),
        await driver.say("", command="status", args={}),
    ):
        assert reply.is_error
        assert "Something went wrong on our side" in reply.text
        assert "a bug in" not in reply.text


def test_the_console_answers_a_folder_timezone_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "console", "--now", "2026-11-30T09:00"],
        input="/pivot join tz America/Argentina\n/pivot join tz America/Indiana/Knox\n",
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "tz must be a timezone like Europe/Berlin, not `America/Argentina`" in result.stdout
    assert "Welcome to cohort demo, ada!" in result.stdout
