"""Random traffic for the whole core: typed text, typed options and button presses from
several people in two workspaces, with the clock moving and the scheduler running between.

One generator serves two sources of randomness: hypothesis in the test suite (which shrinks a
failure to a short story) and a seeded ``random.Random`` in ``bench/fuzz.py`` (which runs tens
of thousands of commands). What counts as a failure is the same for both: an exception that
escapes, a bug reply, or a traceback written to the log.
"""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol, TypeVar

from bot.bug_reply import BUG_REPLY
from bot.clock import ManualClock
from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.messages import CONSOLE, Address, ArgValue, Button, ChatUser, Invocation, Reply
from bot.ports import DeliveryResult, Sent
from scheduler.jobs import DueJobs

T = TypeVar("T")

TENANTS = ("acme", "globex")
PEOPLE = ("olga", "ada", "grace", "linus")  # olga administers both workspaces
ADMIN = "olga"
COHORTS = ("spring", "autumn")
BUG_START = BUG_REPLY.split("{", 1)[0]

# Odd text: what careless hands and broken clients send.
ODD = (
    "",
    " ",
    "|",
    "| |",
    "\x00",
    "\ud800",
    "\udcff",
    "\x1b[31m",
    "🐍",
    "e\u0301",
    "\u202e",
    "'; DROP TABLE members; --",
    "<@U1|x>",
    "<#C1>",
    "<https://x.io|x>",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "\n",
    "x" * 600,
)
WORDS = ("spring", "autumn", "nope", "Spring", "a" * 45, "demo", "standard", "fast")
VALUES: dict[ArgKind, tuple[ArgValue, ...]] = {
    ArgKind.INT: (0, 1, 2, 3, 5, 12, 13, -1, 2**31, -(2**63), 10**30, "7", "x", 1.5),
    ArgKind.HOURS: ("5h", "1.5h", "0h", "80h", "81h", "6", "abc", "-2h", 5),
    ArgKind.DATE: ("2026-12-07", "2027-01-04", "2025-11-01", "9999-06-01", "0001-01-01", "x"),
    ArgKind.TIME: ("09:00", "23:59", "24:00", "9", "x"),
    ArgKind.WEEKDAY: ("mon", "sunday", "x", "Fri"),
    ArgKind.TIMEZONE: (
        "Europe/Berlin",
        "Asia/Kolkata",
        "Pacific/Chatham",
        "America/Argentina",
        "America/Indiana",
        "../../etc/passwd",
        "/etc/localtime",
        "UTC",
        "Mars/Olympus",
    ),
    ArgKind.URL: (
        "https://github.com/ada/svc/pull/1",
        "http://x",
        "ftp://x",
        "https://" + "p" * 600,
    ),
    ArgKind.USER: (
        "<@ada|ada>",
        "@grace",
        "linus",
        "<@" + "U" * 70 + ">",
        "<@U1|" + "n" * 90 + ">",
    ),
    ArgKind.CHANNEL: ("<#C1|pivot>", "#pivot-x", "<#" + "C" * 70 + ">", "<#C2|" + "c" * 90 + ">"),
}
# Mostly hours and days: every simulated week posts a chart per cohort, which takes a while.
ADVANCES = (1, 3, 12, 24, 48, 24 * 7)
# Commands that end a membership: drawn rarely, or most traffic would come from strangers.
RARE = ("forget", "leave")


class Source(Protocol):
    """Where the choices come from."""

    def pick(self, options: Sequence[T]) -> T: ...

    def number(self, low: int, high: int) -> int: ...

    def text(self) -> str: ...


@dataclass(frozen=True)
class Say:
    tenant: str
    user: str
    text: str


@dataclass(frozen=True)
class Typed:
    tenant: str
    user: str
    command: str
    args: tuple[tuple[str, ArgValue], ...]


@dataclass(frozen=True)
class Press:
    """Press a button of a reply or DM this person got lately, sometimes with a forged value."""

    tenant: str
    user: str
    which: int
    forged: tuple[str, ArgValue] | None = None


@dataclass(frozen=True)
class Advance:
    hours: int


@dataclass(frozen=True)
class RunDue:
    pass


Action = Say | Typed | Press | Advance | RunDue


@dataclass
class Generator:
    """Draws actions: mostly commands a member might mean, sometimes junk."""

    specs: Sequence[CommandSpec]
    milestone_keys: Sequence[str]

    @classmethod
    def for_core(cls, core: PivotCore) -> Generator:
        return cls(core.registry.specs, _milestone_keys(core.content))

    def action(self, source: Source) -> Action:
        tenant, user = source.pick(TENANTS), source.pick(PEOPLE)
        roll = source.number(0, 99)
        if roll < 45:
            return Say(tenant, user, self._text(source))
        if roll < 72:
            spec = self._spec(source)
            return Typed(tenant, user, spec.name, tuple(self._typed_args(source, spec)))
        if roll < 93:
            forged = None
            if source.number(0, 3) == 0:
                forged = (
                    source.pick(("a", "q", "n", "weeks", "x")),
                    source.pick(VALUES[ArgKind.INT]),
                )
            return Press(tenant, user, source.number(0, 5), forged)
        if roll < 97:
            return Advance(source.pick(ADVANCES))
        return RunDue()

    def _spec(self, source: Source) -> CommandSpec:
        spec = source.pick(self.specs)
        if spec.name in RARE and source.number(0, 19):
            spec = source.pick([s for s in self.specs if s.name not in RARE])
        return spec

    def _text(self, source: Source) -> str:
        if source.number(0, 9) == 0:
            return source.text()
        if source.number(0, 7) == 0:
            return f"join {source.pick(('', *COHORTS))}"
        spec = self._spec(source)
        words = [source.pick((spec.name, *spec.aliases))]
        for arg in spec.visible_args:
            if source.number(0, 3) == 0:
                continue
            value = self._value(source, arg)
            shown = str(value)
            if arg.keyword:
                shown = f"{arg.name} {shown}"
            elif arg.kind is ArgKind.TEXT and len(words) > 1:
                shown = f"| {shown}"
            words.append(shown)
        if source.number(0, 5) == 0:
            words.insert(source.number(0, len(words)), source.pick(ODD))
        return " ".join(words)

    def _typed_args(self, source: Source, spec: CommandSpec) -> list[tuple[str, ArgValue]]:
        args = [(a.name, self._value(source, a)) for a in spec.args if source.number(0, 2)]
        if source.number(0, 7) == 0:
            args.append((source.pick(("bogus", "a", "confirm")), source.pick(ODD)))
        return args

    def _value(self, source: Source, arg: Arg) -> ArgValue:
        if source.number(0, 6) == 0:
            return source.pick(ODD)
        match arg.kind:
            case ArgKind.CHOICE:
                return source.pick((*arg.choices, "bogus"))
            case ArgKind.WORD:
                if arg.name in ("milestone", "milestones"):
                    return source.pick((*self.milestone_keys, "no-such-milestone"))
                return source.pick(WORDS)
            case ArgKind.TEXT:
                if arg.name == "milestones":
                    return " ".join(self.milestone_keys[: source.number(0, 3)])
                return source.text()
        return source.pick(VALUES[arg.kind])


def _milestone_keys(content: ContentLibrary) -> list[str]:
    roadmap = content.roadmap(None)
    return [m.key for phase in roadmap.phases for m in phase.milestones]


class RandomSource:
    """Choices from a seeded ``random.Random``, for long runs outside the test suite."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return self._rng.choice(options)

    def number(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def text(self) -> str:
        pool = "abc xyz|<>@#:/\\-_.,;'\"\t\x00\x07\x7f\u00e9\u202e\ud800\udfff🐍中"
        size = self._rng.choice((0, 1, 5, 20, 80, 300, 2500))
        return "".join(self._rng.choice(pool) for _ in range(size))


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
