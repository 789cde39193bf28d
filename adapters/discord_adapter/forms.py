"""A form for a spec marked ``form``: a Discord modal with one text input per argument.

``/pivot checkin`` with nothing filled in (or the Check in button) opens it; its submission is
the same invocation the typed options make. The modal object is never kept: a submission is
answered from its ``custom_id``, like a button, so it survives a restart too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from adapters.discord_adapter import limits
from adapters.discord_adapter.custom_ids import FORM, action_id
from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.messages import ArgValue

_NOT_TYPABLE = (ArgKind.USER, ArgKind.CHANNEL)  # need Discord's pickers, not a text box
_PARAGRAPH_OVER = 100


def form_args(spec: CommandSpec) -> tuple[Arg, ...]:
    """The arguments of ``spec``'s form, or none when it has no form that fits a modal."""
    args = spec.visible_args
    if not spec.form or not 0 < len(args) <= limits.MODAL_INPUTS:
        return ()
    if any(a.kind in _NOT_TYPABLE for a in args):
        return ()
    return args


def wants_form(spec: CommandSpec, given: Mapping[str, ArgValue]) -> bool:
    """A form opens when the spec has one and a required argument is still missing."""
    return any(a.required and given.get(a.name) in (None, "") for a in form_args(spec))


class SpecForm(discord.ui.Modal):
    def __init__(
        self, spec: CommandSpec, given: Mapping[str, ArgValue], guild_id: str | None
    ) -> None:
        super().__init__(
            title=limits.fit(f"/pivot {spec.name}", limits.MODAL_TITLE),
            custom_id=action_id(FORM, spec.name, (), guild_id).encode(),
            timeout=None,
        )
        for arg in form_args(spec):
            self.add_item(_text_input(arg, given.get(arg.name, arg.default)))

    def is_finished(self) -> bool:
        """Always, so discord.py never holds this modal: ``custom_id`` answers the submission."""
        return True


def _text_input(arg: Arg, value: ArgValue) -> discord.ui.TextInput[Any]:
    length = min(arg.max_length, limits.INPUT_LENGTH)
    long_text = arg.kind is ArgKind.TEXT and length > _PARAGRAPH_OVER
    label = arg.help[:1].upper() + arg.help[1:]
    default = None if value in (None, "") else str(value)[:length]
    return discord.ui.TextInput(
        label=limits.fit(label, limits.INPUT_LABEL, fallback=arg.name),
        custom_id=arg.name,
        style=discord.TextStyle.paragraph if long_text else discord.TextStyle.short,
        required=arg.required,
        max_length=length,
        placeholder=limits.fit(arg.usage().strip("[]"), 100),
        default=default,
    )


def submitted(data: Mapping[str, Any]) -> dict[str, str]:
    """Every text input's value in a modal submission, however its components are nested."""
    values: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if "custom_id" in node and "value" in node and isinstance(node["value"], str):
                values[str(node["custom_id"])] = node["value"]
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(data.get("components", []))
    return values
