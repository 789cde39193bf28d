"""Persistent buttons: every button is a ``DynamicItem`` whose ``custom_id`` says what to run.

Nothing about a button lives in memory, so a button pressed in a DM weeks later, after any
number of restarts, is answered like one pressed a second after it was sent. Arguments too
long for the 100-character id are kept in the database behind a token (``button_args``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

import discord

from adapters.discord_adapter import limits
from adapters.discord_adapter.custom_ids import BUTTON, BUTTON_TEMPLATE, ActionId, action_id
from bot.messages import DISCORD, Actions, ArgValue, Block, Button, Link
from bot.platform_records import PlatformRecords

STYLES = {
    "default": discord.ButtonStyle.secondary,
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
}


ButtonKey = tuple[str, tuple[tuple[str, ArgValue], ...]]  # a button's command and arguments


class ButtonPresses(Protocol):
    async def on_button(self, interaction: discord.Interaction, custom_id: str) -> None: ...


class PivotButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_TEMPLATE):
    def __init__(
        self,
        custom_id: str,
        label: str = limits.ELLIPSIS,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id), row=row)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PivotButton:
        del interaction
        label = getattr(item, "label", None) or limits.ELLIPSIS
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(match.string, label, style)

    async def callback(self, interaction: discord.Interaction) -> None:
        presses: ButtonPresses | None = getattr(interaction.client, "inbound", None)
        if presses is not None:
            await presses.on_button(interaction, self.custom_id)


def button_rows(blocks: Sequence[Block]) -> list[list[Button]]:
    """Each ``Actions`` block starts a row of at most 5; when that needs more than 5 rows, the
    buttons are packed densely; past 25, the rest are left out (the text still names them)."""
    rows: list[list[Button]] = []
    for block in blocks:
        if isinstance(block, Actions):
            for start in range(0, len(block.buttons), limits.ROW_ITEMS):
                rows.append(list(block.buttons[start : start + limits.ROW_ITEMS]))
    if len(rows) > limits.ROWS:
        flat = [b for row in rows for b in row][: limits.VIEW_ITEMS]
        rows = [flat[i : i + limits.ROW_ITEMS] for i in range(0, len(flat), limits.ROW_ITEMS)]
    return rows


def link_buttons(blocks: Sequence[Block], view: discord.ui.View | None) -> discord.ui.View | None:
    """Each ``Link`` as a link-style button on its own row after the others; Discord opens it
    in the browser and sends the bot nothing. One that does not fit stays in the text."""
    for block in blocks:
        if not isinstance(block, Link) or not block.url.startswith(("https://", "http://")):
            continue
        if len(block.url) > limits.LINK_URL:
            continue
        view = view or discord.ui.View(timeout=None)
        if len(view.children) >= limits.VIEW_ITEMS:
            break
        label = limits.fit(block.label, limits.BUTTON_LABEL)
        button: discord.ui.Button[Any] = discord.ui.Button(
            style=discord.ButtonStyle.link, url=block.url, label=label
        )
        view.add_item(button)
    return view


class ButtonIds:
    """Writes buttons' ``custom_id``s and reads them back, storing long arguments."""

    def __init__(self, records: PlatformRecords) -> None:
        self._records = records

    async def view(
        self, blocks: Sequence[Block], tenant_id: str, in_dm: bool
    ) -> discord.ui.View | None:
        rows = button_rows(blocks)
        if not rows:
            return None
        guild = tenant_id if in_dm else None
        positions = [
            (row_index, button, action_id(BUTTON, button.command, button.args, guild))
            for row_index, row in enumerate(rows)
            for button in row
        ]
        long = [(b.command, b.args) for _, b, action in positions if not action.fits()]
        tokens = await self._store(tenant_id, long) if long else {}
        view = discord.ui.View(timeout=None)
        seen: set[str] = set()
        for row_index, button, action in positions:
            if not action.fits():
                token = tokens[(button.command, button.args)]
                action = ActionId(BUTTON, action.command, (), action.guild_id, token)
            custom_id = action.encode()
            if custom_id in seen:  # the same action twice in one message is one button
                continue
            seen.add(custom_id)
            label = limits.fit(button.label, limits.BUTTON_LABEL)
            view.add_item(PivotButton(custom_id, label, STYLES[button.style], row=row_index))
        return view

    async def _store(self, tenant_id: str, buttons: list[ButtonKey]) -> dict[ButtonKey, str]:
        kept = [(command, dict(args)) for command, args in buttons]
        tokens = await self._records.keep_button_args(DISCORD, tenant_id, kept)
        return dict(zip(buttons, tokens, strict=True))

    async def arguments(self, action: ActionId, tenant_id: str) -> dict[str, ArgValue] | None:
        """The pressed button's arguments; None when its stored arguments are gone."""
        if action.token is None:
            return dict(action.args)
        stored = await self._records.button_args(DISCORD, tenant_id, action.token)
        if stored is None or stored[0] != action.command:
            return None
        return stored[1]
