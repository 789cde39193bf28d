"""Play fuzz traffic (``testkit.fuzz_traffic``) against one core and count what broke: an
exception that escapes, a bug reply, or a traceback written to the log.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from bot.bug_reply import BUG_REPLY
from bot.clock import ManualClock
from bot.core import PivotCore
from bot.messages import CONSOLE, Address, ArgValue, Button, ChatUser, Invocation, Reply
from bot.ports import DeliveryResult, Sent
from scheduler.jobs import DueJobs
from testkit.fuzz_traffic import ADMIN, COHORTS, TENANTS, Action, Advance, Press, RunDue, Say, Typed

BUG_START = BUG_REPLY.split("{", 1)[0]


@dataclass
class Tally:
    """What a run saw; a healthy run has commands and nothing else."""

    commands: int = 0
    refused: int = 0  # answered with a one-line usage error: fine, and worth knowing
    due_runs: int = 0
    tracebacks: int = 0
    bug_replies: int = 0
    examples: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if len(self.examples) < 10:
            self.examples.append(what[:300])

    def describe(self) -> str:
        return (
            f"{self.commands:,} commands ({self.refused:,} refused in one line), "
            f"{self.due_runs:,} scheduler runs: "
            f"{self.tracebacks} tracebacks, {self.bug_replies} bug replies"
        )


class TracebackCounter(logging.Handler):
    """Counts what the log records as an error: every traceback and every bug line."""

    def __init__(self, tally: Tally) -> None:
        super().__init__(level=logging.ERROR)
        self.tally = tally

    def emit(self, record: logging.LogRecord) -> None:
        self.tally.tracebacks += 1
        self.tally.note(f"logged: {record.getMessage()}")


Remembered = dict[tuple[str, str], list[Reply]]  # by (workspace, person): their last replies


@dataclass
class RememberingOutbox:
    """Keeps each person's last DMs, so the next actions can press their buttons."""

    replies: Remembered

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        _remember(self.replies, (user.tenant_id, user.user_id), reply)
        return Sent("dm")

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        return Sent("post")


def _remember(replies: Remembered, who: tuple[str, str], reply: Reply) -> None:
    if reply.buttons:
        kept = replies.setdefault(who, [])
        kept.append(reply)
        del kept[:-3]


@dataclass
class FuzzRun:
    """Plays actions against one core; ``tally`` says how it went."""

    core: PivotCore
    clock: ManualClock
    tally: Tally = field(default_factory=Tally)
    prefix: str = ""  # keeps the workspaces of one run apart from another's in one database
    replies: Remembered = field(default_factory=dict)
    _requests: int = 0

    def __post_init__(self) -> None:
        outbox = RememberingOutbox(self.replies)
        self.jobs = DueJobs(self.core.sessions, self.clock, self.core.content, {CONSOLE: outbox})

    async def setup(self) -> None:
        """Each workspace gets two cohorts, run by olga, before the random part starts."""
        for tenant in TENANTS:
            for cohort in COHORTS:
                await self._answer(tenant, ADMIN, f"cohort create {cohort} #pivot-{cohort}")

    async def play(self, action: Action) -> None:
        try:
            await self._play(action)
        except Exception as exc:  # the whole point: nothing may get this far
            self.tally.tracebacks += 1
            self.tally.note(f"escaped: {action!r}: {type(exc).__name__}: {exc}")

    async def _play(self, action: Action) -> None:
        match action:
            case Say(tenant=tenant, user=user, text=text):
                await self._answer(tenant, user, text)
            case Typed(tenant=tenant, user=user, command=command, args=args):
                await self._answer(tenant, user, "", command, dict(args))
            case Press(tenant=tenant, user=user, which=which, forged=forged):
                button = self._button(tenant, user, which)
                if button is not None:
                    pressed = button.arg_dict
                    if forged is not None:
                        pressed[forged[0]] = forged[1]
                    await self._answer(tenant, user, "", button.command, pressed)
            case Advance(hours=hours):
                # The clock refuses to leave the days plans handle; then it stays put.
                with contextlib.suppress(ValueError):
                    self.clock.advance(timedelta(hours=hours))
            case RunDue():
                self.tally.due_runs += 1
                await self.jobs.run_due()

    def _button(self, tenant: str, user: str, which: int) -> Button | None:
        buttons = [b for r in self.replies.get((self.prefix + tenant, user), []) for b in r.buttons]
        return buttons[which % len(buttons)] if buttons else None

    async def _answer(
        self,
        tenant: str,
        user: str,
        text: str,
        command: str | None = None,
        args: dict[str, ArgValue] | None = None,
    ) -> None:
        self._requests += 1
        tenant = self.prefix + tenant
        person = ChatUser(CONSOLE, tenant, user, user.title(), is_platform_admin=user == ADMIN)
        inv = Invocation(
            command=command,
            args=args or {},
            raw_text=text,
            user=person,
            origin=Address(CONSOLE, tenant, channel_id=None, user_id=user),
            request_id=f"fuzz-{self.prefix}{self._requests}",
        )
        reply = await self.core.answer(inv)
        self.tally.commands += 1
        if reply.text.startswith(BUG_START):
            self.tally.bug_replies += 1
            self.tally.note(f"bug reply to {command or text!r} {args or ''}")
        elif reply.is_error:
            self.tally.refused += 1
        _remember(self.replies, (tenant, user), reply)
