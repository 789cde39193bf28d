"""Platform-neutral values that cross the boundary between the core and the adapters.

Adapters turn platform payloads into an :class:`Invocation` and render a :class:`Reply`; the
core never sees a Slack or Discord object. Everything here is a frozen value so that a reply can
be stored (idempotent retries), compared in tests and rendered by any adapter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

# Each platform's name, as tenants, users and addresses carry it; declared here alone.
CONSOLE: Final = "console"
SLACK: Final = "slack"
DISCORD: Final = "discord"

ArgValue = str | int | float | bool | None

# C0 controls but tab, newline and carriage return; DEL; and lone UTF-16 surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text as every database and terminal can hold it.

    Invalid UTF-8 read with ``surrogateescape`` and JSON's ``"\\ud800"`` both arrive as lone
    surrogates, which no UTF-8 encoder accepts; PostgreSQL refuses NUL in text; and control
    characters are never meant. A surrogate becomes U+FFFD, so the member sees where
    something was lost; a control character goes.
    """
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m[0] >= "\ud800" else "", text)


def _clean_fields(value: object, *names: str) -> None:
    """Clean a frozen value's text fields in place, once, as it is made."""
    for name in names:
        text = getattr(value, name)
        if isinstance(text, str):
            object.__setattr__(value, name, clean_text(text))


@dataclass(frozen=True)
class ChatUser:
    """Who is speaking, as the platform tells us; ``tenant_id`` is the workspace or guild id."""

    platform: str
    tenant_id: str
    user_id: str
    display_name: str
    is_platform_admin: bool = False

    def __post_init__(self) -> None:
        _clean_fields(self, "tenant_id", "user_id", "display_name")


@dataclass(frozen=True)
class Address:
    """Where a reply or a later post goes: a channel, a DM (user only) or a thread."""

    platform: str
    tenant_id: str
    channel_id: str | None = None
    user_id: str | None = None
    thread_id: str | None = None

    def __post_init__(self) -> None:
        _clean_fields(self, "tenant_id", "channel_id", "user_id", "thread_id")


@dataclass(frozen=True)
class Invocation:
    """One request from a member.

    Text platforms fill ``raw_text`` and leave ``command`` empty; the core parses it with the
    command specs. Discord options, buttons and modals arrive already split into ``command`` and
    ``args``. ``request_id`` is the platform's own id, so a retried delivery is answered once.
    """

    command: str | None
    args: Mapping[str, ArgValue]
    raw_text: str
    user: ChatUser
    origin: Address
    request_id: str | None = None

    def __post_init__(self) -> None:
        """Every adapter's text is cleaned here, where each request becomes an Invocation."""
        _clean_fields(self, "command", "raw_text", "request_id")
        args = {
            clean_text(name): clean_text(value) if isinstance(value, str) else value
            for name, value in self.args.items()
        }
        object.__setattr__(self, "args", args)


@dataclass(frozen=True)
class MilestoneChoice:
    """A milestone a form offers to tick off: its key, and the title a member reads."""

    key: str
    title: str


# --- rich elements: a small closed set every adapter can render, each with a text fallback ---


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Section:
    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgressBar:
    done: int
    total: int
    label: str


@dataclass(frozen=True)
class Button:
    """A button carries a neutral command and its arguments; pressing it is an Invocation."""

    label: str
    command: str
    args: tuple[tuple[str, ArgValue], ...] = ()
    style: Literal["default", "primary", "danger"] = "default"

    @property
    def arg_dict(self) -> dict[str, ArgValue]:
        return dict(self.args)


@dataclass(frozen=True)
class Actions:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Image:
    alt: str
    png_bytes: bytes | None = None
    url: str | None = None
    filename: str = "chart.png"


@dataclass(frozen=True)
class Attachment:
    """A file for the member, such as their data export; text platforms save or upload it."""

    filename: str
    content: bytes
    mime_type: str = "application/json"


@dataclass(frozen=True)
class Link:
    """A link to open in a browser, such as a web page behind a signed link.

    ``page_token`` is the page's token when the link opens one of pivotbot's own pages, so an
    adapter with no browser at hand (the console) can save the page itself instead.
    """

    label: str
    url: str
    page_token: str | None = None


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Mention:
    user_id: str
    display_name: str


Block = Header | Section | ProgressBar | Actions | Image | Attachment | Link | Divider | Mention


@dataclass(frozen=True)
class Reply:
    """What the core answers. ``text`` is always a complete plain rendering of ``blocks``."""

    text: str
    blocks: tuple[Block, ...] = ()
    ephemeral: bool = True
    is_error: bool = False

    @classmethod
    def of(cls, *blocks: Block, ephemeral: bool = True) -> Reply:
        """Build a reply whose text is the standard rendering of its blocks."""
        return cls(text=render_text(blocks), blocks=blocks, ephemeral=ephemeral)

    @classmethod
    def error(cls, line: str) -> Reply:
        return cls(text=line, is_error=True)

    @classmethod
    def joined(cls, replies: Sequence[Reply]) -> Reply:
        """Several answers to one request as one reply, so the member gets one message."""
        if len(replies) == 1:
            return replies[0]
        blocks: list[Block] = []
        for reply in replies:
            if blocks:
                blocks.append(Divider())
            blocks.extend(reply.blocks or (Section(reply.text),))
        return cls(
            text="\n\n".join(r.text for r in replies),
            blocks=tuple(blocks),
            is_error=all(r.is_error for r in replies),
        )

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(
            b for block in self.blocks if isinstance(block, Actions) for b in block.buttons
        )


def progress_bar_text(done: int, total: int, width: int = 10) -> str:
    """The one text rendering of a progress bar, shared by every fallback."""
    total = max(total, 0)
    done = min(max(done, 0), total)
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled) + f" {done}/{total}"


def render_text(blocks: tuple[Block, ...]) -> str:
    """Render blocks as plain text; the reference fallback for every platform."""
    lines: list[str] = []
    number = 0
    for block in blocks:
        match block:
            case Header(text=text):
                lines.append(text)
            case Section(text=text, fields=fields):
                if text:
                    lines.append(text)
                lines.extend(f"  {f}" for f in fields)
            case ProgressBar(done=done, total=total, label=label):
                lines.append(f"{label} {progress_bar_text(done, total)}")
            case Actions(buttons=buttons):
                labels = []
                for button in buttons:
                    number += 1
                    labels.append(f"[{number}] {button.label}")
                lines.append("  ".join(labels))
            case Image(alt=alt):
                lines.append(f"(image: {alt})")
            case Attachment(filename=filename):
                lines.append(f"(file: {filename})")
            case Link(label=label, url=url):
                lines.append(f"{label}: {url}")
            case Divider():
                lines.append("—" * 20)
            case Mention(display_name=name):
                lines.append(f"@{name}")
    return "\n".join(lines)
