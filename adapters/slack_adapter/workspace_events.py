"""Events about the workspace rather than a command: the Home tab opened, the app removed.

Slack retries an event it believes we missed (``X-Slack-Retry-Num``). Each event's id is
claimed in the core before its work runs; the claim holds across restarts and replicas, so a
retry never publishes or cancels twice, and a retry for an event we never saw does the work.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.background import InFlight
from adapters.slack_adapter.home import HomeTabs
from adapters.slack_adapter.payloads import team_of
from adapters.slack_adapter.people import People
from bot.core import PivotCore
from bot.messages import SLACK

log = logging.getLogger(__name__)

Body = dict[str, Any]
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")  # the manifest subscribes these


class WorkspaceListeners:
    def __init__(
        self,
        core: PivotCore,
        people: People,
        inflight: InFlight,
        installations: AsyncInstallationStore | None,
        homes: HomeTabs,
    ) -> None:
        self._core = core
        self._people = people
        self._inflight = inflight
        self._homes = homes
        self._installations = installations

    def register(self, app: AsyncApp) -> None:
        listeners = (self.on_home_opened, self.on_app_uninstalled, self.on_tokens_revoked)
        for event, listener in zip(EVENTS, listeners, strict=True):
            app.event(event)(listener)

    async def on_home_opened(
        self, ack: AsyncAck, body: Body, event: Body, context: AsyncBoltContext
    ) -> None:
        await ack()
        if event.get("tab") != "home":
            return
        self._inflight.spawn(
            self._home_opened(context.client, team_of(body, context), str(event["user"]), body),
            "app home",
        )

    async def _home_opened(
        self, client: AsyncWebClient, team: str, user_id: str, body: Body
    ) -> None:
        if not await self._first_time(team, body, user_id):
            return
        user = await self._people.chat_user(client, team, user_id)
        await self._homes.opened(client, user)

    async def on_app_uninstalled(
        self, ack: AsyncAck, body: Body, context: AsyncBoltContext
    ) -> None:
        await ack()
        self._inflight.spawn(
            self._forget_workspace(body, context, "the app was uninstalled from this workspace"),
            "app uninstalled",
        )

    async def on_tokens_revoked(
        self, ack: AsyncAck, body: Body, event: Body, context: AsyncBoltContext
    ) -> None:
        await ack()
        if (event.get("tokens") or {}).get("bot"):
            self._inflight.spawn(
                self._forget_workspace(body, context, "the workspace revoked pivotbot's token"),
                "tokens revoked",
            )

    async def _forget_workspace(self, body: Body, context: AsyncBoltContext, reason: str) -> None:
        """Drop the workspace's tokens and stop its messages; its members' data stays theirs."""
        team = team_of(body, context)
        if not await self._first_time(team, body):
            return
        if self._installations is not None:
            await self._installations.async_delete_all(
                enterprise_id=context.enterprise_id, team_id=context.team_id
            )
        cancelled = await self._core.records.cancel_messages(SLACK, team, reason)
        log.info("workspace %s: %s; %d pending messages cancelled", team, reason, cancelled)

    async def _first_time(self, team: str, body: Body, user_id: str = "") -> bool:
        event_id = str(body.get("event_id") or "")
        if not event_id:
            return True
        kind = str((body.get("event") or {}).get("type") or "event")
        first = await self._core.records.claim_event(SLACK, team, event_id, kind, user_id)
        if not first:
            log.info("event %s was handled already; ignoring Slack's retry", event_id)
        return first
