"""A neutral ``Reply`` as one Discord message: content, embed, buttons and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord_adapter.buttons import ButtonIds, link_buttons
from adapters.discord_adapter.embeds import layout
from bot.messages import Reply

NO_MENTIONS = discord.AllowedMentions.none()  # echoed member text must never ping anyone


@dataclass
class OutgoingMessage:
    content: str | None
    embed: discord.Embed | None
    view: discord.ui.View | None
    files: list[discord.File] = field(default_factory=list)
    ephemeral: bool = True

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``send``, ``send_message`` and ``followup.send`` alike."""
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:
            kwargs["files"] = self.files
        return kwargs


class Renderer:
    def __init__(self, buttons: ButtonIds) -> None:
        self._buttons = buttons

    async def render(self, reply: Reply, tenant_id: str, in_dm: bool) -> OutgoingMessage:
        """``in_dm`` makes every button carry its guild, since a DM has none of its own."""
        parts = layout(reply)
        view = await self._buttons.view(reply.blocks, tenant_id, in_dm) if tenant_id else None
        view = link_buttons(reply.blocks, view)
        return OutgoingMessage(parts.content, parts.embed, view, parts.files, reply.ephemeral)
