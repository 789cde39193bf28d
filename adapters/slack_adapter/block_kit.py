"""Replies as Block Kit, within every limit Slack sets; what cannot fit falls back to text.

A message never fails to render: an element that would break a limit becomes text, and a
reply with more blocks than the surface allows is sent as its complete plain-text rendering.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from adapters.slack_adapter.buttons import encode
from adapters.slack_adapter.slack_text import (
    escape,
    escaped_chunks,
    fit,
    fit_escaped,
    units,
)
from bot.messages import (
    Actions,
    Attachment,
    Block,
    Button,
    Divider,
    Header,
    Image,
    Link,
    Mention,
    ProgressBar,
    Reply,
    Section,
    progress_bar_text,
    render_text,
)

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100  # modals and the App Home tab
MESSAGE_TEXT = 40_000
SECTION_TEXT = 3000
CONTEXT_TEXT = 2000
FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_URL = 3000
ACTIONS_ELEMENTS = 25
IMAGE_ALT = 2000
IMAGE_URL = 3000
BLOCK_ID = 255
SHORT_FIELD = 40  # longer fields read better as lines than squeezed into half a row
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")

Json = dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """A file that goes with a message; Slack takes files by upload, not inside blocks."""

    filename: str
    content: bytes
    title: str


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: tuple[Json, ...]
    uploads: tuple[Upload, ...]


def message(reply: Reply) -> SlackMessage:
    """``chat.postMessage`` / ``response_url`` content; ``text`` is always set."""
    blocks = _render_all(reply.blocks)
    if len(blocks) > MESSAGE_BLOCKS:
        blocks = []  # the text is a complete rendering, so nothing is lost
    return SlackMessage(fallback_text(reply), tuple(blocks), uploads(reply))


def surface_blocks(reply: Reply, limit: int = SURFACE_BLOCKS) -> list[Json]:
    """Blocks for a modal or the Home tab, which have no top-level text to fall back on."""
    blocks = _render_all(reply.blocks)
    if not blocks or len(blocks) > limit:
        chunks = escaped_chunks(reply.text or render_text(reply.blocks), SECTION_TEXT) or ["…"]
        blocks = [_section(chunk) for chunk in chunks[:limit]]
    return blocks


def fallback_text(reply: Reply) -> str:
    text = reply.text if reply.text.strip() else render_text(reply.blocks)
    return fit_escaped(text, MESSAGE_TEXT) if text.strip() else "…"


def uploads(reply: Reply) -> tuple[Upload, ...]:
    found: list[Upload] = []
    for block in reply.blocks:
        if isinstance(block, Attachment):
            found.append(Upload(block.filename, block.content, block.filename))
        elif isinstance(block, Image) and block.png_bytes is not None and not _usable_url(block):
            found.append(Upload(block.filename, block.png_bytes, block.alt))
    return tuple(found)


def _render_all(blocks: tuple[Block, ...]) -> list[Json]:
    """Every block rendered, each with a block id that is new for every rendering.

    The fresh ids let a pressed button be told apart from the same button in a later message.
    """
    numbers = itertools.count(1)
    rendered = [json for block in blocks for json in _render(block, numbers)]
    nonce = secrets.token_hex(4)
    for index, json in enumerate(rendered):
        json["block_id"] = f"{nonce}.{index}"
    return rendered


def _render(block: Block, numbers: Iterator[int]) -> list[Json]:
    match block:
        case Header(text=text):
            if units(text) <= HEADER_TEXT and text.strip():
                return [{"type": "header", "text": _plain(text)}]
            return _sections(text)
        case Section(text=text, fields=fields):
            return _section_with_fields(text, fields)
        case ProgressBar(done=done, total=total, label=label):
            return _sections(f"{label}  {progress_bar_text(done, total)}")
        case Actions(buttons=buttons):
            return _actions(buttons, numbers)
        case Image(alt=alt, png_bytes=png, filename=filename):
            if _usable_url(block):
                return [
                    {
                        "type": "image",
                        "image_url": block.url,
                        "alt_text": fit(alt.strip() or "image", IMAGE_ALT),
                    }
                ]
            return [_context(f"📎 {filename}: {alt}" if png is not None else alt or filename)]
        case Attachment(filename=filename):
            return [_context(f"📎 {filename}")]
        case Link(label=label, url=url):
            return _link(label, url)
        case Divider():
            return [{"type": "divider"}]
        case Mention(user_id=user_id, display_name=name):
            if _USER_ID.match(user_id):
                return [_section(f"<@{user_id}>")]
            return _sections(f"@{name or user_id}")
    raise AssertionError(f"unknown block {block!r}")


def _section_with_fields(text: str, fields: tuple[str, ...]) -> list[Json]:
    shown = [f for f in fields if f.strip()]
    as_fields = 0 < len(shown) <= FIELDS and all(units(escape(f)) <= SHORT_FIELD for f in shown)
    if as_fields:
        sections = _sections(text)
        field_json = [{"type": "mrkdwn", "text": escape(f)} for f in shown]
        if sections:
            sections[-1]["fields"] = field_json
            return sections
        return [{"type": "section", "fields": field_json}]
    return _sections("\n".join(part for part in (text, *shown) if part.strip()))


def _actions(buttons: tuple[Button, ...], numbers: Iterator[int]) -> list[Json]:
    elements: list[Json] = []
    as_text: list[str] = []
    for button in buttons:
        encoded = encode(button, next(numbers))
        if encoded is None:
            as_text.append(f"• {button.label}")
            continue
        action_id, value = encoded
        element: Json = {
            "type": "button",
            "text": _plain(fit(button.label.strip() or button.command.strip() or "…", BUTTON_TEXT)),
            "action_id": action_id,
        }
        if value is not None:
            element["value"] = value
        if button.style != "default":
            element["style"] = button.style
        elements.append(element)
    rendered: list[Json] = [
        {"type": "actions", "elements": elements[start : start + ACTIONS_ELEMENTS]}
        for start in range(0, len(elements), ACTIONS_ELEMENTS)
    ]
    return rendered + _sections("\n".join(as_text))


def _link(label: str, url: str) -> list[Json]:
    """A url button, which opens the link in the browser; Slack still sends the press, which
    the app acknowledges and ignores. A URL Slack would refuse is shown as text instead."""
    if not url.startswith(("https://", "http://")) or units(url) > BUTTON_URL:
        return _sections(f"{label}: {url}")
    button: Json = {
        "type": "button",
        "text": _plain(fit(label.strip() or "Open", BUTTON_TEXT)),
        "action_id": f"link.{secrets.token_hex(4)}",
        "url": url,
    }
    return [{"type": "actions", "elements": [button]}]


def _usable_url(image: Image) -> bool:
    url = image.url or ""
    return url.startswith(("https://", "http://")) and units(url) <= IMAGE_URL


def _sections(text: str) -> list[Json]:
    return [_section(chunk) for chunk in escaped_chunks(text, SECTION_TEXT)]


def _section(escaped: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escaped}}


def _context(text: str) -> Json:
    shown = fit_escaped(text.strip() or "…", CONTEXT_TEXT)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shown}]}


def _plain(text: str) -> Json:
    return {"type": "plain_text", "text": text, "emoji": True}
