"""Discord's sending side alone: a client logged in over REST, the renderer and the ``Outbox``.

``pivotbot serve`` builds it around the client that also receives; ``pivotbot jobs run-due``
builds only this, with a client that never opens the gateway or syncs a command.
"""

from __future__ import annotations

import aiohttp
import discord

from adapters.discord_adapter.buttons import ButtonIds
from adapters.discord_adapter.client import SendingClient, use_api_base
from adapters.discord_adapter.outbox import DiscordOutbox
from adapters.discord_adapter.rendering import Renderer
from adapters.platform_service import PlatformInputs, StartupError
from bot.config import Settings
from bot.messages import DISCORD


class DiscordSending:
    platform = DISCORD

    def __init__(self, settings: Settings, client: discord.Client, renderer: Renderer) -> None:
        if not settings.discord_token:
            raise StartupError("DISCORD_TOKEN is not set")
        self._settings = settings
        self.client = client
        self.outbox = DiscordOutbox(client, renderer)

    async def start(self) -> None:
        """Log in over REST; sending needs nothing more."""
        use_api_base(self._settings.discord_api_url)
        try:
            await self.client.login(self._settings.discord_token or "")
        except discord.LoginFailure as exc:
            raise StartupError(f"Discord rejected DISCORD_TOKEN: {exc}") from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise StartupError(f"cannot reach Discord at {discord.http.Route.BASE}: {exc}") from exc

    async def stop(self) -> None:
        await self.client.close()


def build_discord_sending(inputs: PlatformInputs) -> DiscordSending:
    renderer = Renderer(ButtonIds(inputs.core.records))
    return DiscordSending(inputs.settings, SendingClient(), renderer)
