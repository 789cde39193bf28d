"""Slack's text rules: escaping for mrkdwn, and lengths measured the way Slack counts them.

Slack measures strings in UTF-16 code units (an emoji can count twice), so every limit here
is checked that way; a string that fits by Python's ``len`` may still be refused.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# A link Slack recognised in what a member typed: <https://x.org/a>, or <http://x.org|x.org>
# for a bare domain, <mailto:a@x.org|a@x.org> for an address.
_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]*)(?:\|([^<>]*))?>", re.IGNORECASE)


def units(text: str) -> int:
    """The length Slack counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Slack reads ``&``, ``<`` and ``>`` as markup; everything else is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What a member typed, from the escaped text Slack sends (mentions stay as markup)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def typed_text(text: str) -> str:
    """What a member typed into ``/pivot``, from the text Slack sends with escaping on.

    Slack wraps each link it recognises in markup; the link goes back to the words that were
    typed, so a check-in that mentions a link stores the same text here as on every other
    platform. User and channel mentions stay as markup: the core reads their ids.
    """
    return unescape(_LINK.sub(lambda link: link[1] if link[2] is None else link[2], text))


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` units, ending in an ellipsis when something was cut."""
    if units(text) <= limit:
        return text
    return _prefix(text, limit - units(ELLIPSIS)) + ELLIPSIS


def fit_escaped(text: str, limit: int) -> str:
    """The escaped ``text`` within ``limit`` units, never cutting an entity such as ``&amp;``."""
    escaped = escape(text)
    if units(escaped) <= limit:
        return escaped
    budget = limit - units(ELLIPSIS)
    low, high = 0, len(text)
    while low < high:  # the longest raw prefix whose escaped form fits
        middle = (low + high + 1) // 2
        if units(escape(text[:middle])) <= budget:
            low = middle
        else:
            high = middle - 1
    return escape(text[:low]) + ELLIPSIS


def escaped_chunks(text: str, limit: int) -> list[str]:
    """The escaped ``text`` in pieces of at most ``limit`` units, split at line ends if possible."""
    pieces: list[str] = []
    for line in text.split("\n"):
        pieces.extend(_split_line(line, limit))
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current}\n{piece}" if current else piece
        if current and units(joined) > limit:
            chunks.append(current)
            current = piece
        else:
            current = joined
    if current.strip():
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _split_line(line: str, limit: int) -> list[str]:
    escaped = escape(line)
    if units(escaped) <= limit:
        return [escaped]
    parts: list[str] = []
    rest = line
    while rest:
        low, high = 1, len(rest)
        while low < high:
            middle = (low + high + 1) // 2
            if units(escape(rest[:middle])) <= limit:
                low = middle
            else:
                high = middle - 1
        parts.append(escape(rest[:low]))
        rest = rest[low:]
    return parts


def _prefix(text: str, limit: int) -> str:
    """The longest prefix of whole code points within ``limit`` units."""
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > limit:
            return text[:index]
    return text
