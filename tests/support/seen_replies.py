"""A reply as its reader saw it, read back from what each platform rendered.

The console prints text with numbered buttons, Slack gets Block Kit, Discord an embed and
components. Each is read back to lines of text and button labels, with spacing, bold marks,
divider lines and Slack's escaping set aside, so that one reply on three platforms compares
equal when a member on each would have read the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from adapters.slack_adapter.slack_text import unescape
from tests.support.discord_driver import Answer
from tests.support.slack_harness import SlackReply

_CONSOLE_BUTTONS = re.compile(r"\[(\d+)\] (.+?)(?=\s{2,}\[\d+\] |$)")
_DIVIDER = frozenset("—─")


@dataclass(frozen=True)
class Seen:
    lines: tuple[str, ...]
    buttons: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def seen(texts: Iterable[str], buttons: Iterable[str] = ()) -> Seen:
    lines = []
    for text in texts:
        for line in text.replace("**", "").splitlines():
            words = " ".join(line.split())
            if words and set(words) - _DIVIDER:
                lines.append(words)
    return Seen(tuple(lines), tuple(buttons))


def seen_on_console(printed: str) -> Seen:
    """Printed text; a line of ``[1] Label  [2] Label`` is the reply's buttons."""
    lines = printed.splitlines()
    text = [line for line in lines if not _CONSOLE_BUTTONS.match(line.strip())]
    buttons = [label for line in lines for _, label in _CONSOLE_BUTTONS.findall(line)]
    return seen(text, buttons)


def seen_on_slack(reply: SlackReply) -> Seen:
    """The blocks a member sees: headers, sections with their fields, context and buttons."""
    texts: list[str] = []
    buttons: list[str] = []
    for block in reply.blocks:
        if block.get("text"):
            texts.append(block["text"]["text"])
        texts.extend(f["text"] for f in block.get("fields", []))
        for element in block.get("elements", []):
            if element.get("type") == "button":
                buttons.append(element["text"]["text"])
            elif "text" in element:
                texts.append(element["text"])
    return seen(map(unescape, texts), buttons)


def seen_on_discord(answer: Answer) -> Seen:
    """The content, the embed's title, description and fields, and the buttons."""
    return seen([answer.text], answer.labels)
