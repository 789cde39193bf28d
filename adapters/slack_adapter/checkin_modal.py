"""The check-in modal, built from the ``checkin`` spec so its fields can never drift from the
text form, plus a multi-select of the phase's open milestones.

Each input's block id is its argument's name, so a validation problem lands on its field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.slack_adapter.block_kit import SURFACE_BLOCKS
from adapters.slack_adapter.slack_text import escape, fit
from bot.commands.errors import NOT_JOINED
from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.messages import ArgValue, MilestoneChoice

CALLBACK_ID = "pivot_checkin"
MILESTONES = "milestones"
TITLE = "Weekly check-in"  # a modal title holds 24 characters
METADATA_LIMIT = 3000
LABEL_LIMIT = 2000
OPTION_TEXT = 75
OPTIONS = 100
SELECT_RANGE = 10  # a number with at most this many values is picked, not typed

Json = dict[str, Any]


def metadata(response_url: str | None, channel_id: str | None) -> str:
    """Where the reply goes once the form is submitted, kept in ``private_metadata``."""
    data = {"response_url": response_url, "channel": channel_id}
    encoded = json.dumps(data)
    if len(encoded) > METADATA_LIMIT:  # without the response URL, the reply goes to the DM
        encoded = json.dumps({"response_url": None, "channel": channel_id})
    return encoded


def read_metadata(view: Mapping[str, Any]) -> tuple[str | None, str | None]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    return _text_or_none(data.get("response_url")), _text_or_none(data.get("channel"))


def checkin_view(
    spec: CommandSpec,
    private_metadata: str,
    choices: tuple[MilestoneChoice, ...] | None = (),
    loading: bool = False,
    given: Mapping[str, ArgValue] | None = None,
) -> Json:
    """The form; ``loading`` while the member's milestones are read, ``None`` for a non-member.

    ``given`` holds what the button that opened it carried, such as ``week: last`` from a
    nudge about last week; a choice starts at that, or at its default.
    """
    if choices is None:
        return {
            "type": "modal",
            "callback_id": CALLBACK_ID,
            "title": _plain(TITLE),
            "close": _plain("Close"),
            "private_metadata": private_metadata,
            "blocks": [_mrkdwn_section(NOT_JOINED)],
        }
    blocks = [_input(arg, (given or {}).get(arg.name, arg.default)) for arg in spec.visible_args]
    if loading:
        blocks.append(_context("Loading this phase's milestones…"))
    elif choices:
        blocks.append(_milestones(choices))
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(TITLE),
        "submit": _plain("Check in"),
        "close": _plain("Cancel"),
        "private_metadata": private_metadata,
        "blocks": blocks[:SURFACE_BLOCKS],
    }


def submitted_args(spec: CommandSpec, view: Mapping[str, Any]) -> dict[str, ArgValue]:
    """The typed arguments, as the validator expects them; empty fields are left out."""
    values = (view.get("state") or {}).get("values") or {}
    args: dict[str, ArgValue] = {}
    for arg in spec.visible_args:
        value = _value(values.get(arg.name, {}).get(arg.name, {}))
        if value is not None and value.strip():
            args[arg.name] = value.strip()
    return args


def chosen_milestones(view: Mapping[str, Any]) -> list[str]:
    values = (view.get("state") or {}).get("values") or {}
    element = values.get(MILESTONES, {}).get(MILESTONES, {})
    options = element.get("selected_options")
    if not isinstance(options, list):
        return []
    return [str(o["value"]) for o in options if isinstance(o, dict) and o.get("value")]


def _input(arg: Arg, value: ArgValue) -> Json:
    return {
        "type": "input",
        "block_id": arg.name,
        "optional": not arg.required,
        "label": _plain(fit(arg.help[:1].upper() + arg.help[1:], LABEL_LIMIT)),
        "element": _element(arg, value),
    }


def _element(arg: Arg, value: ArgValue) -> Json:
    options = _fixed_options(arg)
    if options:
        element: Json = {
            "type": "static_select",
            "action_id": arg.name,
            "options": [_option(o, o) for o in options],
        }
        if value is not None and str(value) in options:
            element["initial_option"] = _option(str(value), str(value))
        return element
    element = {
        "type": "plain_text_input",
        "action_id": arg.name,
        "multiline": arg.kind is ArgKind.TEXT,
        "max_length": arg.max_length,
    }
    if arg.kind is ArgKind.HOURS:
        element["placeholder"] = _plain("e.g. 6h")
    return element


def _fixed_options(arg: Arg) -> list[str]:
    if arg.kind is ArgKind.CHOICE:
        return list(arg.choices)
    low, high = arg.minimum, arg.maximum
    if (
        arg.kind is ArgKind.INT
        and low is not None
        and high is not None
        and high - low < SELECT_RANGE
    ):
        return [str(n) for n in range(low, high + 1)]
    return []


def _milestones(choices: tuple[MilestoneChoice, ...]) -> Json:
    return {
        "type": "input",
        "block_id": MILESTONES,
        "optional": True,
        "label": _plain("Milestones you finished"),
        "element": {
            "type": "multi_static_select",
            "action_id": MILESTONES,
            "placeholder": _plain("None this week"),
            "options": [_option(c.title, c.key) for c in choices[:OPTIONS]],
        },
    }


def _value(element: Mapping[str, Any]) -> str | None:
    if "selected_option" in element:
        selected = element.get("selected_option")
        return _text_or_none(selected.get("value")) if isinstance(selected, dict) else None
    return _text_or_none(element.get("value"))


def _text_or_none(value: object) -> str | None:
    """A field Slack sends as text; anything else counts as not filled in."""
    return value if isinstance(value, str) and value else None


def _option(text: str, value: str) -> Json:
    return {"text": _plain(fit(text, OPTION_TEXT)), "value": value}


def _plain(text: str) -> Json:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn_section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}


def _context(text: str) -> Json:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(text)}]}
