"""What a handler gets besides the invocation: one session inside one transaction, the time,
the content and the member who asked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.content.schema import Roadmap
from bot.db.models import Cohort, Member, Tenant
from bot.messages import ArgValue
from bot.ports import Directory

if TYPE_CHECKING:
    from bot.commands.parsing import Registry


NOT_JOINED = "You haven't joined a cohort yet. Start with `/pivot join`."


class UsageError(Exception):
    """A user mistake. The dispatcher turns it into one reply line and rolls back."""


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


def one_line(text: str) -> str:
    """Replies that report a mistake stay on one line, whatever the input contained."""
    return " ".join(text.split())
