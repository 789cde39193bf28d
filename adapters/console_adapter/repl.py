"""The console loop: a prompt on a terminal; line by line (echoed) when input is piped."""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
from typing import TextIO

from adapters.console_adapter.session import ConsoleSession, QuitConsole

PROMPT = "pivot> "
BANNER = (
    "pivotbot console — you are {name} in the demo workspace (cohort demo, #pivot-demo).\n"
    "Try `/pivot join`, `/pivot help`, `:advance 1w`. `:quit` leaves."
)


async def run_console(
    session: ConsoleSession, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    _forgive_bad_bytes(stdin, stdout)
    interactive = stdin.isatty()
    if interactive:
        _enable_history()
        print(BANNER.format(name=session.user_name), file=stdout)
    while True:
        try:
            if interactive:
                line = await asyncio.to_thread(input, PROMPT)
            else:
                line = await asyncio.to_thread(stdin.readline)
                if not line:
                    return 0
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                print(f"> {line}", file=stdout)
        except EOFError:
            return 0
        except KeyboardInterrupt:
            print(file=stdout)
            return 0
        try:
            output = await session.line(line)
        except QuitConsole:
            return 0
        if output:
            print(output, file=stdout)
            if not interactive:
                print(file=stdout)
        stdout.flush()


def _forgive_bad_bytes(stdin: TextIO, stdout: TextIO) -> None:
    """A byte that is not text in the terminal's encoding reads as U+FFFD, and a character
    the terminal cannot show prints as one, instead of ending the console with a traceback."""
    for stream in (stdin, stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _enable_history() -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - gives input() line editing and history
