"""The App Home tab: the member's dashboard, the same view ``/pivot status`` answers with."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.block_kit import surface_blocks
from bot.core import PivotCore
from bot.messages import Actions, Address, Button, ChatUser, Header, Invocation, Reply, Section

log = logging.getLogger(__name__)

WELCOME = Header("pivotbot")
FIRST_STEPS = Actions((Button("Join", "join", style="primary"), Button("Help", "help")))


def home_view(status: Reply) -> dict[str, Any]:
    """The dashboard, or for someone who has not joined, the core's answer and a way in."""
    if status.is_error:
        status = Reply.of(WELCOME, Section(status.text), FIRST_STEPS)
    return {"type": "home", "blocks": surface_blocks(status)}


async def publish_home(core: PivotCore, client: AsyncWebClient, user: ChatUser) -> None:
    inv = Invocation(
        command="status",
        args={},
        raw_text="",
        user=user,
        origin=Address(user.platform, user.tenant_id, user_id=user.user_id),
    )
    view = home_view(await core.answer(inv))
    await client.views_publish(user_id=user.user_id, view=view)


async def refresh_home(core: PivotCore, client: AsyncWebClient, user: ChatUser) -> None:
    """Republish after every command that did something, so the tab is never stale."""
    try:
        await publish_home(core, client, user)
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("App Home not published for %s: %s", user.user_id, exc)
