"""One console conversation: the current user, the simulated clock and the last reply.

Each input line gives back the text to print, so the same object serves the interactive REPL,
piped input and tests.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from adapters.console_adapter.demo import TENANT
from adapters.console_adapter.outbox import ConsoleOutbox
from adapters.console_adapter.pages import save_linked_pages
from adapters.console_adapter.render import render_reply
from bot.bug_reply import bug_line
from bot.clock import ManualClock
from bot.core import PivotCore
from bot.database_faults import database_fault
from bot.domain.weeks import IsoWeek
from bot.messages import CONSOLE, Address, ArgValue, ChatUser, Invocation, Reply

log = logging.getLogger(__name__)

PREFIX = "/pivot"
_ADVANCE = re.compile(r"^(\d{1,4})\s*([dwh])$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
CONSOLE_HELP = (
    "Type `/pivot <command>` (try `/pivot help`) or a console command: :as <name>, "
    ":advance <N>d|<N>w|<N>h, :now, :due, :press <N>, :quit."
)


class DueWork(Protocol):
    """The scheduler's plan-and-deliver, handed in by whoever starts the console."""

    async def run_due(self) -> object: ...


class QuitConsole(Exception):  # noqa: N818 - a signal, not an error
    """Raised by ``:quit``."""


def user_for(name: str) -> ChatUser:
    return ChatUser(CONSOLE, TENANT, name.lower(), name, is_platform_admin=False)


@dataclass
class ConsoleSession:
    core: PivotCore
    clock: ManualClock
    user_name: str
    out_dir: Path = Path("pivotbot-out")
    jobs: DueWork | None = None
    outbox: ConsoleOutbox | None = None
    last_reply: Reply | None = field(default=None, init=False)

    async def line(self, text: str) -> str:
        text = text.strip()
        if not text:
            return ""
        if text.startswith(":"):
            return await self._console_command(text)
        if text.lower() == PREFIX or text.lower().startswith(PREFIX + " "):
            return await self._invoke(text[len(PREFIX) :].strip())
        return CONSOLE_HELP

    async def _invoke(
        self, raw: str, command: str | None = None, args: dict[str, ArgValue] | None = None
    ) -> str:
        user = user_for(self.user_name)
        inv = Invocation(
            command=command,
            args=dict(args or {}),
            raw_text=raw,
            user=user,
            origin=Address(CONSOLE, TENANT, channel_id=None, user_id=user.user_id),
            request_id=f"console-{uuid.uuid4().hex}",
        )
        reply = await self.core.answer(inv)
        self.last_reply = reply
        saved = await save_linked_pages(self.core, reply, self.out_dir)
        return "\n".join([render_reply(reply, self.out_dir), *saved])

    async def _console_command(self, text: str) -> str:
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        match word.lower():
            case ":quit" | ":q" | ":exit":
                raise QuitConsole
            case ":now":
                return self._describe_now()
            case ":as":
                if not _NAME.match(rest):
                    return "Expected `:as <name>`, e.g. `:as grace` (letters, digits, . _ -)."
                self.user_name = rest
                self.last_reply = None
                return f"Now speaking as {rest}."
            case ":advance":
                match = _ADVANCE.match(rest)
                if not match:
                    return "Expected `:advance <N>d`, `<N>w` or `<N>h`, e.g. `:advance 1w`."
                amount, unit = int(match[1]), match[2].lower()
                delta = {
                    "d": timedelta(days=amount),
                    "w": timedelta(weeks=amount),
                    "h": timedelta(hours=amount),
                }[unit]
                try:
                    self.clock.advance(delta)
                except ValueError as exc:
                    return f"Not moved: {exc}. Try a smaller step, e.g. `:advance 1w`."
                return self._describe_now()
            case ":press":
                return await self._press(rest)
            case ":due":
                return await self._due()
        return f"Unknown console command `{word[:20]}`. {CONSOLE_HELP}"

    async def _press(self, rest: str) -> str:
        buttons = self.last_reply.buttons if self.last_reply else ()
        if not rest.isdigit() or not 1 <= int(rest) <= len(buttons):
            if not buttons:
                return "The last reply has no buttons to press."
            return f"Expected `:press <N>` with N from 1 to {len(buttons)}, e.g. `:press 1`."
        button = buttons[int(rest) - 1]
        return await self._invoke("", command=button.command, args=button.arg_dict)

    async def _due(self) -> str:
        """Plan and deliver at the simulated time; what was sent is printed, DMs and posts."""
        if self.jobs is None or self.outbox is None:
            return ":due needs the scheduler, which this console was started without."
        try:
            await self.jobs.run_due()
        except Exception as exc:
            fault = database_fault(exc)
            if fault is None:
                return bug_line(log, ":due failed")
            return f"Nothing more was planned or sent: {fault.value}. Try `:due` again later."
        lines = self.outbox.take()
        mine = self.outbox.last_dm.pop(user_for(self.user_name).user_id, None)
        self.outbox.last_dm.clear()
        if mine is not None:
            self.last_reply = mine  # so :press answers the DM you just got
        return "\n".join(lines) if lines else "Nothing is due."

    def _describe_now(self) -> str:
        now = self.clock.now()
        return f"Now: {now:%A %Y-%m-%d %H:%M} UTC (ISO week {IsoWeek.of(now.date())})"
