"""Neutral actions written into Discord ``custom_id``s and read back, with no server state.

A button is ``pivot:<command>:<args>`` and a form is ``pivotform:<command>:<args>``, where
``<args>`` is a URL-encoded query. Two reserved keys ride along: ``_g``, the guild a button
belongs to when it lives in a DM (a DM has no guild of its own), and ``_t``, the token of
arguments stored server-side because they would not fit in 100 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode

from adapters.discord_adapter.limits import CUSTOM_ID
from bot.messages import ArgValue

BUTTON = "pivot"
FORM = "pivotform"
GUILD_KEY = "_g"
TOKEN_KEY = "_t"  # noqa: S105 - the key of a stored-arguments token, not a secret
RESERVED = frozenset({GUILD_KEY, TOKEN_KEY})
_COMMAND = r"[a-z][a-z0-9 _-]{0,39}"
BUTTON_TEMPLATE = rf"{BUTTON}:(?P<command>{_COMMAND}):(?P<args>[^:]*)"
_ANY = re.compile(rf"(?P<kind>{BUTTON}|{FORM}):(?P<command>{_COMMAND}):(?P<args>[^:]*)")


@dataclass(frozen=True)
class ActionId:
    """What a ``custom_id`` says: the command, its arguments (as text) and the reserved keys."""

    kind: str
    command: str
    args: tuple[tuple[str, str], ...] = ()
    guild_id: str | None = None
    token: str | None = None

    def encode(self) -> str:
        pairs = list(self.args)
        if self.guild_id:
            pairs.append((GUILD_KEY, self.guild_id))
        if self.token:
            pairs.append((TOKEN_KEY, self.token))
        query = urlencode(pairs, quote_via=quote, safe="-_.~/")
        return f"{self.kind}:{self.command}:{query}"

    def fits(self) -> bool:
        return len(self.encode()) <= CUSTOM_ID


def as_text(value: ArgValue) -> str | None:
    """How an argument value travels in an id; the core converts it back like typed text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def action_id(
    kind: str,
    command: str,
    args: Iterable[tuple[str, ArgValue]],
    guild_id: str | None = None,
) -> ActionId:
    pairs = []
    for key, value in args:
        if key in RESERVED:
            raise ValueError(f"argument name {key!r} is reserved for Discord button ids")
        text = as_text(value)
        if text is not None:
            pairs.append((key, text))
    return ActionId(kind, command, tuple(pairs), guild_id)


def parse(custom_id: str) -> ActionId | None:
    match = _ANY.fullmatch(custom_id)
    if match is None:
        return None
    pairs = parse_qsl(match["args"], keep_blank_values=True)
    reserved = {k: v for k, v in pairs if k in RESERVED}
    return ActionId(
        kind=match["kind"],
        command=match["command"],
        args=tuple((k, v) for k, v in pairs if k not in RESERVED),
        guild_id=reserved.get(GUILD_KEY) or None,
        token=reserved.get(TOKEN_KEY) or None,
    )
