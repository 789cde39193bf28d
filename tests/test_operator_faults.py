"""An unlucky operator's database: locked, deleted under a running bot, read-only; and content
files that are not text. Each is one true line, the right exit code, and no traceback."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import literal_column, select
from sqlalchemy.engine import make_url

import bot.db.engine
from adapters.console_adapter.outbox import ConsoleOutbox
from adapters.console_adapter.session import ConsoleSession
from app.cli import main
from bot.clock import ManualClock
from bot.commands.catalogue import default_registry
from bot.commands.spec import CommandSpec, Context, Registry
from bot.config import Settings
from bot.content.loader import CONTENT_DIR, ContentError, load_library
from bot.core import PivotCore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Member
from bot.messages import Invocation, Reply
from scheduler.jobs import DueJobs
from testkit.driver import BotDriver
from tests.conftest import START
from tests.support.databases import held_sqlite

BUSY = "busy"
BUG = "Something went wrong on our side"
SECRET = "my-secret-checkin-words"


@pytest.fixture
def quick_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked file fails after a tenth of a second here, not after the real ten."""
    monkeypatch.setattr(bot.db.engine, "SQLITE_BUSY_TIMEOUT_MS", 100)


def _path(url: str) -> Path:
    database = make_url(url).database
    assert database
    return Path(database)


def _sqlite_only(url: str) -> None:
    if not url.startswith("sqlite"):
        pytest.skip("a file lock, a deleted file and file modes are SQLite's")


def _core(url: str, clock: ManualClock) -> PivotCore:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    return PivotCore(session_factory(create_engine(url)), clock, load_library(), settings)


async def test_due_in_the_console_on_a_locked_file_is_one_line(
    database_url: str, quick_busy_timeout: None, tmp_path: Path
) -> None:
    _sqlite_only(database_url)
    clock = ManualClock(START)
    core = _core(database_url, clock)
    outbox = ConsoleOutbox(out_dir=tmp_path)
    jobs = DueJobs(core.sessions, clock, core.content, {"console": outbox})
    console = ConsoleSession(core, clock, "ada", out_dir=tmp_path, jobs=jobs, outbox=outbox)
    await core.records.ensure_cohort(
        "console", "demo", "demo", channel="pivot-demo", timezone="UTC", first_admin="ada"
    )
    await console.line("/pivot join")
    with held_sqlite(database_url):
        answer = await console.line(":due")
    assert answer.count("\n") == 0
    assert BUSY in answer
    assert "Traceback" not in answer
    assert "[DM to ada]" in await console.line(":due")  # and the console carries on


def test_console_started_on_a_locked_file_says_busy_and_exits_non_zero(
    database_url: str, quick_busy_timeout: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _sqlite_only(database_url)
    with held_sqlite(database_url):
        code = main(["console", "--db", database_url, "--now", "2026-11-30"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1, err
    assert err.startswith("pivotbot: ")
    assert BUSY in err


def test_jobs_run_due_on_a_locked_file_says_busy_and_exits_non_zero(
    database_url: str,
    quick_busy_timeout: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _sqlite_only(database_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    with held_sqlite(database_url):
        code = main(["jobs", "run-due", "--now", "2026-11-30T09:00"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1, err
    assert BUSY in err


async def test_a_checkin_is_refused_once_the_database_file_is_deleted(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _sqlite_only(database_url)
    driver = BotDriver(_core(database_url, ManualClock(START)), ManualClock(START), admins={"ada"})
    await driver.say("/pivot cohort create spring")
    assert not (await driver.say("/pivot join")).is_error
    path = _path(database_url)
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    reply = await driver.say(f"/pivot checkin 5h {SECRET} | none")
    assert reply.is_error
    assert "Checked in" not in reply.text
    assert "moved or deleted" in reply.text
    assert BUG not in reply.text
    assert SECRET not in caplog.text


async def test_a_database_file_replaced_under_the_bot_is_refused(database_url: str) -> None:
    _sqlite_only(database_url)
    driver = BotDriver(_core(database_url, ManualClock(START)), ManualClock(START), admins={"ada"})
    await driver.say("/pivot cohort create spring")
    await driver.say("/pivot join")
    path = _path(database_url)
    path.rename(path.with_name("elsewhere.db"))
    sqlite3.connect(path).close()  # an empty file where the database was
    reply = await driver.say("/pivot checkin 5h shipped | none")
    assert reply.is_error
    assert "moved or deleted" in reply.text


async def test_a_read_only_database_says_so_and_logs_no_member_text(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _sqlite_only(database_url)
    writable = BotDriver(_core(database_url, ManualClock(START)), ManualClock(START))
    writable.admins.add("ada")
    await writable.say("/pivot cohort create spring")
    await writable.say("/pivot join")
    read_only = f"sqlite:///file:{_path(database_url)}?mode=ro&uri=true"
    driver = BotDriver(_core(read_only, ManualClock(START)), ManualClock(START))
    with caplog.at_level(logging.DEBUG):
        reply = await driver.say(f"/pivot checkin 5h {SECRET} | none")
    assert reply.is_error
    assert "read-only" in reply.text
    assert BUSY not in reply.text
    assert SECRET not in caplog.text


async def test_a_read_only_postgres_database_says_so_and_logs_no_member_text(
    database_url: str, core: PivotCore, caplog: pytest.LogCaptureFixture
) -> None:
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL's read-only transactions")
    writable = BotDriver(core, ManualClock(START), admins={"ada"})
    await writable.say("/pivot cohort create spring")
    await writable.say("/pivot join")
    engine = create_engine(
        database_url, connect_args={"server_settings": {"default_transaction_read_only": "on"}}
    )
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    read_only = PivotCore(session_factory(engine), core.clock, core.content, settings)
    try:
        with caplog.at_level(logging.DEBUG):
            reply = await BotDriver(read_only, ManualClock(START)).say(
                f"/pivot checkin 5h {SECRET} | none"
            )
    finally:
        await engine.dispose()
    assert reply.is_error
    assert "read-only" in reply.text
    assert SECRET not in caplog.text


def test_a_content_file_that_is_not_utf8_is_a_content_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for source in CONTENT_DIR.rglob("*.yaml"):
        target = content / source.relative_to(CONTENT_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    (content / "points.yaml").write_bytes(b"checkin: \xff\xfe 10\n")
    with pytest.raises(ContentError, match=r"points\.yaml: not UTF-8 text"):
        load_library(content)


async def test_a_failed_statement_logs_no_sql_parameters(
    core: PivotCore, caplog: pytest.LogCaptureFixture
) -> None:
    async def handler(inv: Invocation, ctx: Context) -> Reply:
        await ctx.session.execute(
            select(Member).where(Member.user_id == SECRET, literal_column("no_such_column") == 1)
        )
        return Reply.of()

    broken = CommandSpec(
        name="explode",
        summary="fails",
        example="/pivot explode",
        handler=handler,
        needs_member=False,
    )
    registry = Registry([*default_registry().specs, broken])
    failing = PivotCore(core.sessions, core.clock, core.content, core.settings, registry)
    with caplog.at_level(logging.DEBUG):
        reply = await BotDriver(failing, ManualClock(START)).say("/pivot explode")
    assert reply.is_error
    assert "no_such_column" in caplog.text  # the statement is logged, for the operator
    assert SECRET not in caplog.text
