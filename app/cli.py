"""The ``pivotbot`` command line. Its commands and options are a contract: keep them exact."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from pydantic import ValidationError

from adapters.console_adapter.demo import ensure_demo
from adapters.console_adapter.outbox import ConsoleOutbox
from adapters.console_adapter.repl import run_console
from adapters.console_adapter.session import ConsoleSession
from adapters.platform_service import StartupError
from app.composition import build_runtime, due_jobs, load_content, migrate
from app.logs import configure_logging
from bot.clock import ManualClock, SystemClock, supported_time
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.database_faults import database_fault
from bot.messages import CONSOLE

DEFAULT_CONSOLE_USER = "ada"


def parse_now(text: str) -> datetime:
    """An ISO 8601 date or datetime, with or without an offset; UTC when none is given."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected an ISO date or datetime such as 2026-11-30 or "
            f"2026-11-30T09:00+01:00, not {text!r}"
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        supported_time(moment)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}, not {text!r}") from None
    return moment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pivotbot",
        description="Accountability bot for data scientists moving into ML engineering.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "run", help="serve the configured platforms, or open the console when none is"
    )
    commands.add_parser("serve", help="serve Slack and/or Discord with the scheduler")
    console = commands.add_parser("console", help="talk to the bot in this terminal")
    console.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL)")
    console.add_argument(
        "--now", metavar="ISO", type=parse_now, help="start the simulated clock here"
    )
    console.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        default=DEFAULT_CONSOLE_USER,
        help=f"who you are (default: {DEFAULT_CONSOLE_USER})",
    )
    jobs = commands.add_parser("jobs", help="the scheduler's work, on demand")
    job_commands = jobs.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    run_due = job_commands.add_parser(
        "run-due", help="plan and deliver what is due once, then exit"
    )
    run_due.add_argument("--now", metavar="ISO", type=parse_now, help="act as if it were this time")
    job_status = job_commands.add_parser("status", help="outbox counts and the next due times")
    job_status.add_argument(
        "--now", metavar="ISO", type=parse_now, help="act as if it were this time"
    )
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="migrate the database to the latest schema")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(map(str, first["loc"])).upper()
        where = f"bad setting {name}" if name else "bad settings"  # a rule across settings
        print(f"pivotbot: {where}: {first['msg']}", file=sys.stderr)
        return 2
    serving = args.command == "serve" or (
        args.command == "run" and (settings.slack_configured or settings.discord_configured)
    )
    configure_logging(settings, quiet_by_default=not serving)
    try:
        return _dispatch(args, settings)
    except StartupError as exc:
        print(f"pivotbot: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        fault = database_fault(exc)
        if fault is None:
            raise
        print(f"pivotbot: stopped, because {fault.value}.", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    match args.command:
        case "db":
            migrate(settings.database_url)
            print("Database is at the latest schema.")
            return 0
        case "console":
            return _console(settings, args.db, args.now, args.as_name)
        case "jobs":
            from app import jobs_commands

            if args.jobs_command == "run-due":
                return asyncio.run(jobs_commands.run_due(settings, args.now))
            return asyncio.run(jobs_commands.status(settings, args.now))
        case "run":
            if settings.slack_configured or settings.discord_configured:
                return _serve(settings)
            return _console(settings, None, None, DEFAULT_CONSOLE_USER)
        case "serve":
            return _serve(settings)
    raise AssertionError(args.command)


def _serve(settings: Settings) -> int:
    if not (settings.slack_configured or settings.discord_configured):
        print(
            "pivotbot serve: no platform is configured; set SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET, or DISCORD_TOKEN (see .env.example).",
            file=sys.stderr,
        )
        return 2
    from app.serve import serve

    return asyncio.run(serve(settings))


def _console(settings: Settings, db: str | None, now: datetime | None, as_name: str) -> int:
    if db:
        settings = settings.model_copy(update={"database_url": db})
    content = load_content()
    migrate(settings.database_url)
    clock = ManualClock(now or SystemClock().now())
    return asyncio.run(_console_async(settings, clock, as_name, content))


async def _console_async(
    settings: Settings, clock: ManualClock, as_name: str, content: ContentLibrary
) -> int:
    runtime = build_runtime(settings, clock, content)
    try:
        await ensure_demo(runtime.core, settings.default_timezone, as_name.lower())
        outbox = ConsoleOutbox()
        jobs = due_jobs(runtime, {CONSOLE: outbox})
        session = ConsoleSession(runtime.core, clock, as_name, jobs=jobs, outbox=outbox)
        return await run_console(session)
    finally:
        await runtime.close()


if __name__ == "__main__":
    sys.exit(main())
