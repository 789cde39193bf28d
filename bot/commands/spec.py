"""The declarative command spec, the registry that finds a spec by name, and the context its
handler receives. One spec per command drives parsing, Discord options, help text and
validation errors, so the four can never disagree.

The three refer to one another (a spec's handler takes a context, which carries the registry
of specs that ``help`` reads), so they live in one module rather than in a loop of imports.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.errors import NOT_JOINED, UsageError
from bot.commands.tokens import tokenize
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.content.schema import Roadmap
from bot.db.models import Cohort, Member, Tenant
from bot.messages import ArgValue, Invocation, Reply
from bot.ports import Directory

MAX_INPUT_CHARS = 2000


class ArgKind(StrEnum):
    """How an argument is written and checked. Adapters map these to native option types."""

    WORD = "word"  # one token, such as a cohort name or a milestone key
    TEXT = "text"  # free text up to the next "|" or the end
    INT = "int"
    HOURS = "hours"  # 6h, 1.5h or 6
    CHOICE = "choice"
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # HH:MM, 24-hour
    WEEKDAY = "weekday"
    TIMEZONE = "timezone"  # an IANA name such as Europe/Berlin
    URL = "url"
    USER = "user"  # a mention; the value is "id|name"
    CHANNEL = "channel"  # a channel mention or #name; the value is "id|name"


@dataclass(frozen=True)
class Arg:
    name: str
    kind: ArgKind
    help: str
    required: bool = False
    default: ArgValue = None
    choices: tuple[str, ...] = ()
    keyword: bool = False  # written as "<name> <value>", e.g. "track fast"
    hidden: bool = False  # set by buttons, never typed or shown
    max_length: int = 80
    minimum: int | None = None
    maximum: int | None = None
    shown: str = ""  # how usage lines write the value, e.g. "<hours>h"

    def usage(self) -> str:
        if self.shown:
            shown = self.shown
        elif self.kind is ArgKind.CHOICE:
            shown = "|".join(self.choices)
        else:
            shown = f"<{self.name}>"
        if self.keyword:
            shown = f"{self.name} {shown}"
        return shown if self.required else f"[{shown}]"


Handler = Callable[[Invocation, "Context"], Awaitable[Reply]]


@dataclass(frozen=True)
class CommandSpec:
    """Everything about one command.

    ``name`` may have two words ("settings tz"); the first is then a group on Discord.
    ``summary`` is one line, cut to Discord's 100 characters by the adapter.
    """

    name: str
    summary: str
    example: str
    handler: Handler
    args: tuple[Arg, ...] = ()
    aliases: tuple[str, ...] = ()
    admin_only: bool = False
    needs_member: bool = True
    # Keep the reply under the platform's request id, so a retried delivery (Slack retries,
    # a double-clicked button) is answered again without running twice.
    dedupe: bool = True
    details: str = ""
    # May be filled in a form (a Discord modal) when invoked without its required arguments.
    form: bool = False
    # Not admin-only, but its answer differs for admins (help lists their commands too).
    shows_admin_commands: bool = False
    # Writes nothing: its answer changes nothing the member sees elsewhere (the Slack App
    # Home needs no refresh after it), and it may run beside writers, outside SQLite's lane.
    read_only: bool = False
    # What it writes never shows anywhere else (a link to a web page, say): the App Home
    # needs no refresh after it, though it writes and so runs in SQLite's lane.
    changes_views: bool = True
    # Its answer depends on who asks beyond their id (admin rights, a new member's name), so
    # adapters look the person up on their platform first. False for a member's everyday
    # commands: an adapter may then answer at once with what it knows, even no name (the
    # stored name then stays as it is until a later command brings the new one).
    asks_who: bool = True

    @property
    def visible_args(self) -> tuple[Arg, ...]:
        return tuple(a for a in self.args if not a.hidden)

    @property
    def typed_name(self) -> str:
        """The name people type: ``quiz`` for ``quiz start``, whose alias drops the second
        word. Help and usage lines use it, so they say what every other reply says."""
        words = self.name.split()
        return next((a for a in self.aliases if a.split() == words[:1]), self.name)

    @property
    def usage(self) -> str:
        parts = [f"/pivot {self.typed_name}"]
        after_text = False
        for arg in self.visible_args:
            shown = arg.usage()
            if after_text and not arg.keyword:  # free text runs up to "|", so "|" comes first
                shown = f"| {shown}" if arg.required else f"[| {shown.strip('[]')}]"
            after_text = arg.kind is ArgKind.TEXT and not arg.keyword
            parts.append(shown)
        return " ".join(parts)

    def arg(self, name: str) -> Arg | None:
        return next((a for a in self.args if a.name == name), None)


class Registry:
    """Every command spec, looked up by name or alias, case-insensitively."""

    def __init__(self, specs: Sequence[CommandSpec]) -> None:
        self.specs = tuple(specs)
        self._by_name: dict[str, CommandSpec] = {}
        for spec in self.specs:
            for name in (spec.name, *spec.aliases):
                if name in self._by_name:
                    raise ValueError(f"command name {name!r} is used twice")
                self._by_name[name] = spec
        self.max_words = max(len(name.split()) for name in self._by_name)

    def get(self, name: str) -> CommandSpec | None:
        return self._by_name.get(" ".join(name.lower().split()))

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def resolve_text(self, text: str) -> tuple[CommandSpec, list[str]]:
        """Find the command at the start of ``text``, longest name first."""
        if len(text) > MAX_INPUT_CHARS:
            raise UsageError(
                f"That message is {len(text)} characters; the limit is {MAX_INPUT_CHARS}. "
                "Shorten it and try again, e.g. `/pivot checkin 5h built the API | none`."
            )
        tokens = tokenize(text)
        if not tokens:
            raise UsageError(
                "Expected a command, e.g. `/pivot status`. Type `/pivot help` to see them all."
            )
        for width in range(min(self.max_words, len(tokens)), 0, -1):
            spec = self.get(" ".join(tokens[:width]))
            if spec is not None:
                return spec, tokens[width:]
        raise UsageError(self._unknown(tokens))

    def _unknown(self, tokens: list[str]) -> str:
        first = tokens[0].lower()[:40]
        group = [s for s in self.specs if s.name.split()[0] == first and " " in s.name]
        if group:
            words = ", ".join(sorted(s.name.split()[1] for s in group))
            return (
                f"`{first}` needs one more word: {words}. Example: `{group[0].example}`; "
                f"`/pivot help {first}` explains each."
            )
        guess = self.suggest(" ".join(tokens[:2])) or self.suggest(first)
        hint = f" Did you mean `{guess}`? `/pivot help {guess}` explains it." if guess else ""
        return f"Unknown command `{first}`.{hint} Type `/pivot help` to see every command."

    def suggest(self, word: str) -> str | None:
        close = difflib.get_close_matches(word.lower(), self.names(), n=1, cutoff=0.6)
        return close[0] if close else None


@dataclass(frozen=True)
class Args:
    """Validated arguments with typed access; the parser has already checked every value."""

    values: Mapping[str, ArgValue]

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value)

    def opt_text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None or value == "" else str(value)

    def integer(self, name: str) -> int:
        value = self.values.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(f"argument {name!r} is not a number: {value!r}")
        return int(value)

    def opt_integer(self, name: str) -> int | None:
        return None if self.values.get(name) is None else self.integer(name)

    def number(self, name: str) -> float:
        value = self.values.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(f"argument {name!r} is not a number: {value!r}")
        return float(value)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")


@dataclass
class Context:
    """What a handler gets besides the invocation: one session inside one transaction, the
    time, the content, the member who asked and the registry (for ``help``)."""

    session: AsyncSession
    now: datetime
    content: ContentLibrary
    settings: Settings
    tenant: Tenant
    args: Args
    registry: Registry
    member: Member | None = None
    cohort: Cohort | None = None
    is_admin: bool = False
    directory: Directory | None = None  # the adapter's answers about its platform, if any

    @property
    def roadmap(self) -> Roadmap:
        return self.content.roadmap(self.cohort.roadmap_key if self.cohort else None)

    def joined(self) -> tuple[Member, Cohort]:
        if self.member is None or self.cohort is None or self.member.left_at is not None:
            raise UsageError(NOT_JOINED)
        return self.member, self.cohort
