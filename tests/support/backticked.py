"""Every command a reply shows in backticks must run as written: find them, fill in their
placeholders as a member would, and parse each with the real registry."""

from __future__ import annotations

import re

from bot.commands.errors import UsageError
from bot.commands.parsing import parse_text
from bot.commands.spec import Registry

_BACKTICKED = re.compile(r"`(/pivot[^`]*)`")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_CHOICES = re.compile(r"(?<![\s|])\|(?![\s|])[^\s|]*")  # "show|hide" -> "show"
# What a member types for each placeholder the replies and help use.
FILLS = {
    "<hours>h": "5h",
    "<what you did>": "read the service",
    "<blockers>": "none",
    "<1-5>": "3",
    "<1-4>": "1",
    "<n>": "1",
    "<link>": "https://example.org/pr/1",
    "<evidence-url>": "https://example.org/pr/1",
    "<evidence link>": "https://example.org/pr/1",
    "<key>": "git-workflow",
    "<milestone>": "git-workflow",
    "<weeks>": "2",
    "<months>": "6",
    "<weekday>": "monday",
    "<HH:MM>": "09:00",
    "<Area/City>": "Europe/Berlin",
    "<command>": "checkin",
    "<cohort>": "spring",
    "<name>": "spring",
    "<#channel>": "<#C1|pivot-spring>",
    "<@user>": "<@U1|sam>",
    "<YYYY-MM-DD>": "2027-03-01",
    "<N>": "8",
    "<percent>": "80",
    "<days>": "7",
}


def backticked_commands(text: str) -> list[str]:
    return [found.strip() for found in _BACKTICKED.findall(text)]


def filled(command: str) -> str:
    """The command as a member would type it: optional parts kept, the first of each set of
    choices picked, each placeholder replaced by a real value."""
    text = command
    while _OPTIONAL.search(text):
        text = _OPTIONAL.sub(r"\1", text)
    text = _CHOICES.sub("", text)
    for placeholder, value in FILLS.items():
        text = text.replace(placeholder, value)
    return text


def parse_problem(registry: Registry, command: str) -> str | None:
    """Why the command would not run as written, or None when it parses."""
    text = filled(command).removeprefix("/pivot").strip()
    if "<" in text.replace("<#C1|", "").replace("<@U1|", ""):
        return f"an unknown placeholder is left in `{text}`"
    try:
        spec, tokens = registry.resolve_text(text)
        parse_text(spec, tokens)
    except UsageError as exc:
        return str(exc)
    return None
