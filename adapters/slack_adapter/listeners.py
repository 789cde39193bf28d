"""``/pivot``, its buttons and the check-in form: Slack requests in, invocations out, replies back.

Every listener acknowledges first and does the rest as tracked background work, so Slack gets
its answer within its 3 seconds however slow the database is. Only the check-in form's field
check runs before the acknowledgement, because its errors must travel in it; that check is
pure and touches nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_adapter.background import InFlight
from adapters.slack_adapter.buttons import ACTION_PATTERN, decode, press_id
from adapters.slack_adapter.checkin_modal import (
    CALLBACK_ID,
    checkin_view,
    chosen_milestones,
    metadata,
    read_metadata,
    submitted_args,
)
from adapters.slack_adapter.home import HomeTabs
from adapters.slack_adapter.payloads import team_of
from adapters.slack_adapter.people import People
from adapters.slack_adapter.replies import Replies
from adapters.slack_adapter.slack_text import fit, typed_text
from bot.commands.checkins import with_milestones
from bot.commands.errors import UsageError
from bot.commands.parsing import field_problems
from bot.commands.spec import CommandSpec
from bot.core import PivotCore
from bot.messages import SLACK, Address, ArgValue, ChatUser, Invocation, Reply

log = logging.getLogger(__name__)

SLASH_COMMAND = "/pivot"
ANY_ACTION = re.compile(".*")
CHECKIN = "checkin"
FIELD_ERROR_LIMIT = 2000
Body = dict[str, Any]


class CommandListeners:
    def __init__(
        self,
        core: PivotCore,
        people: People,
        replies: Replies,
        inflight: InFlight,
        homes: HomeTabs,
    ) -> None:
        self._core = core
        self._people = people
        self._replies = replies
        self._inflight = inflight
        self._homes = homes
        spec = core.registry.get(CHECKIN)
        if spec is None:
            raise RuntimeError("the core has no checkin command for the check-in form")
        self._checkin: CommandSpec = spec

    def register(self, app: AsyncApp) -> None:
        app.command(SLASH_COMMAND)(self.on_command)
        app.action(ACTION_PATTERN)(self.on_button)
        app.action(ANY_ACTION)(self.on_other_action)
        app.view(CALLBACK_ID)(self.on_checkin_submitted)

    # --- the slash command ---

    async def on_command(self, ack: AsyncAck, body: Body, context: AsyncBoltContext) -> None:
        await ack()
        team, user_id = team_of(body, context), str(body["user_id"])
        text = typed_text(str(body.get("text") or ""))
        response_url, channel = body.get("response_url"), body.get("channel_id")
        if self._wants_form(text):
            form = self._open_checkin(
                context.client, team, user_id, body["trigger_id"], response_url, channel
            )
            self._inflight.spawn(form, "open check-in form")
            return
        self._inflight.spawn(self._run_command(context.client, body, team, text), "command")

    async def _run_command(self, client: AsyncWebClient, body: Body, team: str, text: str) -> None:
        user_id = str(body["user_id"])
        inv = Invocation(
            command=None,
            args={},
            raw_text=text,
            user=ChatUser(SLACK, team, user_id, ""),  # who exactly: below
            origin=Address(SLACK, team, channel_id=body.get("channel_id"), user_id=user_id),
            request_id=body.get("trigger_id"),
        )
        fallback = str(body.get("user_name") or "")
        known = self._people.known(team, user_id)
        if known is not None:
            inv = replace(inv, user=known)
        elif self._core.asks_who(inv):
            inv = replace(inv, user=await self._people.chat_user(client, team, user_id, fallback))
        await self._answer(client, inv, await self._core.answer(inv), body.get("response_url"))
        if known is None and not self._core.writers_waiting():
            # Answered with no name; look the person up now, so a later command brings it.
            # Not while writers queue (a burst): nobody waits for it, and it can come later.
            await self._people.lookup(client, team, user_id, fallback)

    def _wants_form(self, text: str) -> bool:
        """``/pivot checkin`` with nothing after it opens the form instead of asking for text."""
        try:
            spec, rest = self._core.registry.resolve_text(text.strip() or "help")
        except UsageError:
            return False
        return spec is self._checkin and not rest

    # --- buttons ---

    async def on_button(self, ack: AsyncAck, body: Body, context: AsyncBoltContext) -> None:
        await ack()
        action = body["actions"][0]
        decoded = decode(action)
        if decoded is None:
            log.info("ignoring a malformed action: %r", action.get("action_id"))
            return
        command, args = decoded
        team, user_id = team_of(body, context), str(body["user"]["id"])
        response_url = body.get("response_url")  # none for a press in the Home tab
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        if self._core.registry.get(command) is self._checkin and self._form_for(args):
            form = self._open_checkin(
                context.client, team, user_id, body["trigger_id"], response_url, channel, args
            )
            self._inflight.spawn(form, "open check-in form")
            return
        self._inflight.spawn(
            self._run_press(context.client, body, team, command, args, channel), "button"
        )

    def _form_for(self, args: dict[str, ArgValue]) -> bool:
        """A Check in button opens the form when it carries no answer of its own, only a
        choice such as which week (the nudge about last week's button does)."""
        return not any(args.get(a.name) for a in self._checkin.visible_args if a.required)

    async def on_other_action(self, ack: AsyncAck, body: Body) -> None:
        """A link button or a message from an older version: acknowledged, so Slack shows no
        error, and otherwise ignored."""
        await ack()
        log.info("ignoring action %r", (body.get("actions") or [{}])[0].get("action_id"))

    async def _run_press(
        self,
        client: AsyncWebClient,
        body: Body,
        team: str,
        command: str,
        args: dict[str, ArgValue],
        channel: str | None,
    ) -> None:
        user_id = str(body["user"]["id"])
        user = await self._people.chat_user(
            client, team, user_id, str(body["user"].get("username") or "")
        )
        inv = Invocation(
            command=command,
            args=args,
            raw_text="",
            user=user,
            origin=Address(SLACK, team, channel_id=channel, user_id=user_id),
            request_id=press_id(team, user_id, body["actions"][0]),
        )
        await self._answer(client, inv, await self._core.answer(inv), body.get("response_url"))

    # --- the check-in form ---

    async def _open_checkin(
        self,
        client: AsyncWebClient,
        team: str,
        user_id: str,
        trigger_id: str,
        response_url: str | None,
        channel: str | None,
        given: dict[str, ArgValue] | None = None,
    ) -> None:
        """Open at once (the trigger lasts 3 s), then add the milestones once they are read."""
        meta = metadata(response_url, channel)
        user = ChatUser(SLACK, team, user_id, "")
        try:
            opened = await client.views_open(
                trigger_id=trigger_id,
                view=checkin_view(self._checkin, meta, loading=True, given=given),
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("check-in form did not open: %s", exc)
            line = (
                "The check-in form could not open. Check in with text instead, "
                f"e.g. `{self._checkin.example}`."
            )
            await self._replies.answer(client, user, Reply.error(line), response_url, channel)
            return
        choices = await self._core.records.pending_milestones(user)
        view = opened["view"]
        try:
            await client.views_update(
                view_id=view["id"],
                hash=view.get("hash"),
                view=checkin_view(self._checkin, meta, choices, given=given),
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("check-in form not updated (submitted or closed already?): %s", exc)

    async def on_checkin_submitted(
        self, ack: AsyncAck, body: Body, view: Body, context: AsyncBoltContext
    ) -> None:
        args = submitted_args(self._checkin, view)
        problems = field_problems(self._checkin, args)
        if problems:
            errors = {name: fit(problem, FIELD_ERROR_LIMIT) for name, problem in problems.items()}
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        self._inflight.spawn(
            self._checkin_submitted(context.client, body, view, team_of(body, context), args),
            "check-in form",
        )

    async def _checkin_submitted(
        self, client: AsyncWebClient, body: Body, view: Body, team: str, args: dict[str, ArgValue]
    ) -> None:
        response_url, channel = read_metadata(view)
        user_id = str(body["user"]["id"])
        user = await self._people.chat_user(
            client, team, user_id, str(body["user"].get("username") or "")
        )
        origin = Address(SLACK, team, channel_id=channel, user_id=user_id)
        args = with_milestones(args, chosen_milestones(view))
        request_id = f"view:{view['id']}"
        inv = Invocation(CHECKIN, args, "", user, origin, request_id)
        await self._answer(client, inv, await self._core.answer(inv), response_url)

    # --- shared ---

    async def _answer(
        self, client: AsyncWebClient, inv: Invocation, answer: Reply, response_url: str | None
    ) -> None:
        """Send the answer; then, if the command may have changed the member's Home, have it
        refreshed once their commands settle."""
        await self._replies.answer(client, inv.user, answer, response_url, inv.origin.channel_id)
        if not answer.is_error and self._core.may_change(inv):
            self._homes.changed(client, inv.user)
