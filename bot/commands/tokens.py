"""Free text split into tokens: the registry reads the command from the first ones, the
parser the arguments from the rest."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<[^<>\s]*(?:\|[^<>]*)?>|\||[^\s|]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    """Control characters are never meant, and PostgreSQL refuses NUL in text."""
    return _CONTROL.sub("", text)


def tokenize(text: str) -> list[str]:
    """Split on whitespace, keep ``|`` as its own token and keep ``<@U1|name>`` mentions whole.

    Control characters go first.
    """
    return _TOKEN.findall(strip_control(text))
