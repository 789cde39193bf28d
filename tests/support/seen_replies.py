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
# A link to a web page: the console prints "Label: URL" (and saves the page), Slack shows a url
# button, Discord a link button (and the embed a "[Label](URL)" line). Each link is random, so
# replies compare by the link's label alone.
_PAGE_URL = r"https?://\S+/p/[A-Za-z0-9_-]{16,32}\.[0-9a-z]{1,12}\.[A-Za-z0-9_-]{43}"
_CONSOLE_LINK = re.compile(rf"^(.+): {_PAGE_URL}$")
_SAVED_PAGE = "Saved the page to "
_MARKDOWN_LINK = re.compile(rf"^\[(.+)\]\({_PAGE_URL}\)$")
_DISCORD_LINK_STYLE = 5


@dataclass(frozen=True)
class Seen:
    lines: tuple[str, ...]
    buttons: tuple[str, ...] = ()
    links: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def seen(texts: Iterable[str], buttons: Iterable[str] = (), links: Iterable[str] = ()) -> Seen:
    lines = []
    for text in texts:
        for line in text.replace("**", "").splitlines():
            words = " ".join(line.split())
            if words and set(words) - _DIVIDER and not _MARKDOWN_LINK.match(words):
                lines.append(words)
    return Seen(tuple(lines), tuple(buttons), tuple(links))


def seen_on_console(printed: str) -> Seen:
    """Printed text; a line of ``[1] Label  [2] Label`` is the reply's buttons."""
    lines = [line for line in printed.splitlines() if not line.startswith(_SAVED_PAGE)]
    links = [m[1] for m in map(_CONSOLE_LINK.match, lines) if m]
    lines = [line for line in lines if not _CONSOLE_LINK.match(line)]
    text = [line for line in lines if not _CONSOLE_BUTTONS.match(line.strip())]
    buttons = [label for line in lines for _, label in _CONSOLE_BUTTONS.findall(line)]
    return seen(text, buttons, links)


def seen_on_slack(reply: SlackReply) -> Seen:
    """The blocks a member sees: headers, sections with their fields, context and buttons."""
    texts: list[str] = []
    buttons: list[str] = []
    links: list[str] = []
    for block in reply.blocks:
        if block.get("text"):
            texts.append(block["text"]["text"])
        texts.extend(f["text"] for f in block.get("fields", []))
        for element in block.get("elements", []):
            if element.get("type") == "button":
                (links if "url" in element else buttons).append(element["text"]["text"])
            elif "text" in element:
                texts.append(element["text"])
    return seen(map(unescape, texts), buttons, links)


def seen_on_discord(answer: Answer) -> Seen:
    """The content, the embed's title, description and fields, and the buttons."""
    components = [c for row in answer.last.get("components", []) for c in row["components"]]
    links = [c["label"] for c in components if c.get("style") == _DISCORD_LINK_STYLE]
    buttons = [c.get("label", "") for c in components if c.get("style") != _DISCORD_LINK_STYLE]
    return seen([answer.text], buttons, links)
