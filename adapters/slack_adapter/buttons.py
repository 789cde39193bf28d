"""A button's neutral command and arguments, carried in Slack's ``action_id`` and ``value``.

``action_id`` is ``pivot|<command>|<n>`` (n keeps ids unique within one message) and ``value``
is the arguments as compact JSON. Anything that would not fit Slack's limits is not made a
button at all; the renderer shows it as text instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from adapters.slack_adapter.slack_text import units
from bot.messages import ArgValue, Button

ACTION_ID_LIMIT = 255
VALUE_LIMIT = 2000
ACTION_PATTERN = re.compile(r"^pivot\|")
_SEPARATOR = "|"


def encode(button: Button, number: int) -> tuple[str, str | None] | None:
    """``(action_id, value)`` for a button, or None when it cannot be carried within limits."""
    if not button.command or _SEPARATOR in button.command:
        return None
    action_id = _SEPARATOR.join(("pivot", button.command, str(number)))
    value: str | None = None
    if button.args:
        try:
            value = json.dumps(
                dict(button.args), separators=(",", ":"), ensure_ascii=False, allow_nan=False
            )
        except (TypeError, ValueError):
            return None
    if units(action_id) > ACTION_ID_LIMIT or (value is not None and units(value) > VALUE_LIMIT):
        return None
    return action_id, value


def decode(action: Mapping[str, Any]) -> tuple[str, dict[str, ArgValue]] | None:
    """The command and arguments of a pressed button, or None for anything we did not render."""
    parts = str(action.get("action_id", "")).split(_SEPARATOR)
    if len(parts) != 3 or parts[0] != "pivot" or not parts[1]:
        return None
    raw = action.get("value")
    if not raw:
        return parts[1], {}
    if not isinstance(raw, str):
        return None
    try:
        args = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(args, dict) or not all(
        isinstance(v, str | int | float | bool) or v is None for v in args.values()
    ):
        return None
    return parts[1], args


def press_id(team_id: str, user_id: str, action: Mapping[str, Any]) -> str:
    """One request id per member, rendered button and arguments.

    Slack gives each press a fresh trigger id, so pressing twice would look like two requests;
    the rendered block id (new for every message we render) plus the action names the button
    itself, so a second press of the same button is recognised and answered with the first
    press's reply instead of being counted again.
    """
    parts = (team_id, user_id, action.get("block_id"), action.get("action_id"), action.get("value"))
    digest = hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()
    return f"press:{digest[:48]}"
