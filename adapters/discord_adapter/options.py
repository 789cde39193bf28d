"""One spec argument as one typed Discord option, and the option's value back as the neutral
value the core validates, exactly as it validates typed text.

Users and channels arrive as discord.py objects and leave as ``id|name``; everything else
leaves as the number or string Discord sent.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord_adapter.limits import CHOICES, STRING_OPTION_LENGTH
from bot.commands.spec import Arg, ArgKind
from bot.domain.weeks import WEEKDAYS
from bot.messages import ArgValue

NAME_LENGTH = 80  # a stored channel or display name (cohorts.channel_name is 80 wide)
POSTABLE_CHANNELS = [discord.ChannelType.text, discord.ChannelType.news]
_OPTION_TYPES = {
    ArgKind.INT: discord.AppCommandOptionType.integer,
    ArgKind.USER: discord.AppCommandOptionType.user,
    ArgKind.CHANNEL: discord.AppCommandOptionType.channel,
}


def choices_of(arg: Arg) -> tuple[str, ...]:
    if arg.kind is ArgKind.WEEKDAY:
        return WEEKDAYS
    if arg.kind is ArgKind.CHOICE and len(arg.choices) <= CHOICES:
        return arg.choices
    return ()


def reference(ident: int, name: str) -> str:
    """The normal form of a user or channel value; ``<``, ``>`` and ``|`` would break it."""
    clean = "".join(c for c in name if c not in "<>|\n").strip() or str(ident)
    return f"{ident}|{clean[:NAME_LENGTH]}"


class SpecOption(app_commands.Transformer):
    """The option a spec argument becomes; used as the parameter's annotation."""

    def __init__(self, arg: Arg) -> None:
        super().__init__()
        self.arg = arg

    @property
    def type(self) -> discord.AppCommandOptionType:
        return _OPTION_TYPES.get(self.arg.kind, discord.AppCommandOptionType.string)

    @property
    def choices(self) -> list[app_commands.Choice[int | float | str]] | None:
        named: list[app_commands.Choice[int | float | str]] = [
            app_commands.Choice(name=c, value=c) for c in choices_of(self.arg)
        ]
        return named or None

    @property
    def min_value(self) -> int | None:
        return self.arg.minimum if self.arg.kind is ArgKind.INT else None

    @property
    def max_value(self) -> int | None:
        if self.arg.kind is ArgKind.INT:
            return self.arg.maximum
        if self.type is discord.AppCommandOptionType.string and not choices_of(self.arg):
            return min(self.arg.max_length, STRING_OPTION_LENGTH)  # sent as max_length
        return None

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return POSTABLE_CHANNELS if self.arg.kind is ArgKind.CHANNEL else []

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> ArgValue:
        del interaction
        if self.arg.kind is ArgKind.USER:
            return reference(value.id, getattr(value, "display_name", "") or value.name)
        if self.arg.kind is ArgKind.CHANNEL:
            return reference(value.id, getattr(value, "name", "") or str(value.id))
        if isinstance(value, bool | int | float | str):
            return value
        return str(value)
