"""A form for a spec marked ``form``: a Discord modal with one labelled input per argument.

``/pivot checkin`` with nothing filled in (or the Check in button) opens it; its submission is
the same invocation the typed options make. A command that takes milestones (the check-in)
also offers the member's open milestones in a select, as the Slack form does; the picks ride
along as its hidden ``milestones`` argument, saved in the same transaction as the check-in.
Each input sits in a Label, the component Discord's documentation now asks modals to use in
place of action rows. The modal object is never kept: a submission is answered from its
``custom_id``, like a button, so it survives a restart too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from adapters.discord_adapter import limits
from adapters.discord_adapter.custom_ids import FORM, action_id
from bot.commands.checkins import MILESTONES, with_milestones
from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.messages import ArgValue, MilestoneChoice

_NOT_TYPABLE = (ArgKind.USER, ArgKind.CHANNEL)  # need Discord's pickers, not a text box
_PARAGRAPH_OVER = 100


def chosen_args(spec: CommandSpec) -> tuple[Arg, ...]:
    """Optional choices the form takes from how it was opened, not from a box of its own: the
    week of a check-in comes from the button ("Check in for last week") or the command's
    option, and rides in the form's id. A modal holds five components, and the milestone
    picker needs the fifth."""
    return tuple(a for a in spec.visible_args if a.kind is ArgKind.CHOICE and not a.required)


def form_args(spec: CommandSpec) -> tuple[Arg, ...]:
    """The arguments of ``spec``'s form, or none when it has no form that fits a modal."""
    args = tuple(a for a in spec.visible_args if a not in chosen_args(spec))
    if not spec.form or not 0 < len(args) <= limits.MODAL_COMPONENTS:
        return ()
    if any(a.kind in _NOT_TYPABLE for a in args):
        return ()
    return args


def wants_form(spec: CommandSpec, given: Mapping[str, ArgValue]) -> bool:
    """A form opens when the spec has one and a required argument is still missing."""
    return any(a.required and given.get(a.name) in (None, "") for a in form_args(spec))


def takes_milestones(spec: CommandSpec) -> bool:
    """Whether the form should offer milestones to tick off, room permitting."""
    return any(a.name == MILESTONES for a in spec.args) and (
        len(form_args(spec)) < limits.MODAL_COMPONENTS
    )


class SpecForm(discord.ui.Modal):
    def __init__(
        self,
        spec: CommandSpec,
        given: Mapping[str, ArgValue],
        guild_id: str | None,
        milestones: tuple[MilestoneChoice, ...] = (),
    ) -> None:
        super().__init__(
            title=limits.fit(f"/pivot {spec.name}", limits.MODAL_TITLE),
            custom_id=action_id(FORM, spec.name, _chosen(spec, given), guild_id).encode(),
            timeout=None,
        )
        for arg in form_args(spec):
            self.add_item(_labelled_input(arg, given.get(arg.name)))
        if milestones and takes_milestones(spec):
            self.add_item(_milestone_picker(milestones))

    def is_finished(self) -> bool:
        """Always, so discord.py never holds this modal: ``custom_id`` answers the submission."""
        return True


def _chosen(spec: CommandSpec, given: Mapping[str, ArgValue]) -> list[tuple[str, ArgValue]]:
    return [(a.name, given[a.name]) for a in chosen_args(spec) if given.get(a.name)]


def _labelled_input(arg: Arg, value: ArgValue) -> discord.ui.Label[Any]:
    length = min(arg.max_length, limits.INPUT_LENGTH)
    long_text = arg.kind is ArgKind.TEXT and length > _PARAGRAPH_OVER
    label = arg.help[:1].upper() + arg.help[1:]
    default = None if value in (None, "") else str(value)[:length]
    text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
        custom_id=arg.name,
        style=discord.TextStyle.paragraph if long_text else discord.TextStyle.short,
        required=arg.required,
        max_length=length,
        placeholder=limits.fit(arg.usage().strip("[]"), limits.PLACEHOLDER),
        default=default,
    )
    return discord.ui.Label(
        text=limits.fit(label, limits.LABEL_TEXT, fallback=arg.name), component=text_input
    )


def _milestone_picker(choices: tuple[MilestoneChoice, ...]) -> discord.ui.Label[Any]:
    offered = choices[: limits.SELECT_OPTIONS]
    select: discord.ui.Select[Any] = discord.ui.Select(
        custom_id=MILESTONES,
        placeholder="None this week",
        min_values=0,
        max_values=len(offered),
        required=False,
        options=[
            discord.SelectOption(label=limits.fit(c.title, limits.OPTION_LABEL), value=c.key)
            for c in offered
        ],
    )
    return discord.ui.Label(
        text="Milestones you finished",
        description="Marked done with this check-in",
        component=select,
    )


def submitted(
    data: Mapping[str, Any], chosen: Mapping[str, ArgValue] | None = None
) -> dict[str, ArgValue]:
    """A modal submission as arguments: the choices it was opened with, each input's text, and
    the milestones picked.

    The components are walked whatever their nesting (labels, or the action rows of a form
    opened by an older version), so every submission reads the same.
    """
    values: dict[str, ArgValue] = dict(chosen or {})
    picked: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            custom_id = str(node.get("custom_id", ""))
            if isinstance(node.get("value"), str):
                values[custom_id] = node["value"]
            elif custom_id == MILESTONES and isinstance(node.get("values"), list):
                picked.extend(str(v) for v in node["values"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(data.get("components", []))
    return with_milestones(values, picked)
