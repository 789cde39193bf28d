"""The App Home tab: the member's dashboard, the same view ``/pivot status`` answers with.

Republishing it costs a ``status`` answer and a Web API call, so it happens only when it can
matter: after a command that may change it (never after a read-only one such as ``status``),
once a member's commands have settled (those close together share one refresh, and each
member has at most one refresh in flight), and only when the view differs from the one this
process last published. Opening the tab always publishes, so a member who opens it never
sees a view that another replica made stale.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.background import InFlight
from adapters.slack_adapter.block_kit import surface_blocks
from bot.core import PivotCore
from bot.messages import Actions, Address, Button, ChatUser, Header, Invocation, Reply, Section

log = logging.getLogger(__name__)

WELCOME = Header("pivotbot")
FIRST_STEPS = Actions((Button("Join", "join", style="primary"), Button("Help", "help")))
REFRESH_DELAY_SECONDS = 2.0  # commands of one member this close together share one refresh
# How long a published view is trusted to still be what Slack shows: another replica may
# publish for the same member, so an unchanged view is published again after this.
SAME_VIEW_SECONDS = 30.0
BURST_DEFER_SECONDS = 10.0  # at most this much longer while commands queue to write
BURST_CHECK_SECONDS = 0.25
SHOWN_KEPT = 10_000  # past this many remembered views, the outdated ones are let go

MemberKey = tuple[str, str]  # workspace, user


def home_view(status: Reply) -> dict[str, Any]:
    """The dashboard, or for someone who has not joined, the core's answer and a way in."""
    if status.is_error:
        status = Reply.of(WELCOME, Section(status.text), FIRST_STEPS)
    return {"type": "home", "blocks": surface_blocks(status)}


@dataclass
class _Pending:
    client: AsyncWebClient
    user: ChatUser
    again: bool = False  # another change came while this refresh was publishing


class HomeTabs:
    def __init__(self, core: PivotCore, inflight: InFlight) -> None:
        self._core = core
        self._inflight = inflight
        self.delay_seconds = REFRESH_DELAY_SECONDS
        self._pending: dict[MemberKey, _Pending] = {}
        self._shown: dict[MemberKey, tuple[str, float]] = {}  # digest, when published
        self._wake = asyncio.Event()

    def changed(self, client: AsyncWebClient, user: ChatUser) -> None:
        """A command of ``user`` may have changed their Home: refresh it once they pause."""
        key = (user.tenant_id, user.user_id)
        pending = self._pending.get(key)
        if pending is not None:
            pending.client, pending.user, pending.again = client, user, True
            return
        self._pending[key] = _Pending(client, user)
        self._inflight.spawn(self._refresh(key), "app home")

    async def opened(self, client: AsyncWebClient, user: ChatUser) -> None:
        """The member opened the tab: show them the dashboard as it is now."""
        await self._publish(client, user, even_if_same=True)

    def hurry(self) -> None:
        """Start every waiting refresh now (at shutdown, and in tests)."""
        self._wake.set()
        self._wake = asyncio.Event()

    async def _pause(self, seconds: float) -> bool:
        """Wait ``seconds``, or less when hurried; whether it was hurried."""
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _settled(self) -> None:
        """The refresh delay, and longer while writers queue (a burst of check-ins): the
        member has their reply already, and the Home can wait until the burst is over."""
        hurried = await self._pause(self.delay_seconds)
        deadline = time.monotonic() + BURST_DEFER_SECONDS
        while not hurried and self._core.writers_waiting() and time.monotonic() < deadline:
            hurried = await self._pause(BURST_CHECK_SECONDS)

    async def _refresh(self, key: MemberKey) -> None:
        try:
            while True:
                await self._settled()
                pending = self._pending[key]
                pending.again = False
                await self._publish(pending.client, pending.user, even_if_same=False)
                if not pending.again:
                    return
        finally:
            self._pending.pop(key, None)

    async def _publish(self, client: AsyncWebClient, user: ChatUser, *, even_if_same: bool) -> None:
        key = (user.tenant_id, user.user_id)
        inv = Invocation(
            command="status",
            args={},
            raw_text="",
            user=user,
            origin=Address(user.platform, user.tenant_id, user_id=user.user_id),
        )
        view = home_view(await self._core.answer(inv))
        digest = _digest(view)
        shown = self._shown.get(key)
        now = time.monotonic()
        if not even_if_same and shown and shown[0] == digest and now - shown[1] < SAME_VIEW_SECONDS:
            return
        try:
            await client.views_publish(user_id=user.user_id, view=view)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("App Home not published for %s: %s", user.user_id, exc)
            return
        if len(self._shown) >= SHOWN_KEPT:
            self._shown = {k: v for k, v in self._shown.items() if now - v[1] < SAME_VIEW_SECONDS}
        self._shown[key] = (digest, now)


def _digest(view: dict[str, Any]) -> str:
    """What the view shows, leaving out the block ids, which are new in every rendering."""
    blocks = [{k: v for k, v in block.items() if k != "block_id"} for block in view["blocks"]]
    return hashlib.sha256(json.dumps(blocks, sort_keys=True).encode()).hexdigest()
