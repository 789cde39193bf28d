"""Random traffic for the whole core: typed text, typed options and button presses from
several people in two workspaces, with the clock moving and the scheduler running between.

One generator serves two sources of randomness: hypothesis in the test suite (which shrinks a
failure to a short story) and a seeded ``random.Random`` in ``bench/fuzz.py`` (which runs tens
of thousands of commands). ``testkit.fuzz_run`` plays what it draws.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.content.loader import ContentLibrary
from bot.core import PivotCore
from bot.messages import ArgValue

T = TypeVar("T")

TENANTS = ("acme", "globex")
PEOPLE = ("olga", "ada", "grace", "linus")  # olga administers both workspaces
ADMIN = "olga"
COHORTS = ("spring", "autumn")

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
