"""The declarative command spec: one value per command drives parsing, Discord options,
help text and validation errors, so the four can never disagree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.messages import ArgValue, Invocation, Reply

if TYPE_CHECKING:
    from bot.commands.context import Context


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

    @property
    def visible_args(self) -> tuple[Arg, ...]:
        return tuple(a for a in self.args if not a.hidden)

    @property
    def usage(self) -> str:
        parts = [f"/pivot {self.name}"]
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
