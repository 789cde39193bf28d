"""Free text split into tokens: the registry reads the command from the first ones, the
parser the arguments from the rest."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<[^<>\s]*(?:\|[^<>]*)?>|\||[^\s|]+")


def tokenize(text: str) -> list[str]:
    """Split on whitespace, keep ``|`` as its own token and keep ``<@U1|name>`` mentions whole.

    The text is already clean: an ``Invocation`` drops control characters as it is made.
    """
    return _TOKEN.findall(text)
