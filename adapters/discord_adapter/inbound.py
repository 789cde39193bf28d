"""Interactions in: a slash command, a button press or a form submission becomes one
``Invocation``; the core's ``Reply`` goes back as the interaction's response.

Discord wants an answer within 3 seconds. The core usually answers in milliseconds; when it
has not answered after ``defer_after`` seconds, the interaction is deferred ("thinking...")
and the reply follows when it is ready, within the token's 15 minutes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord_adapter.buttons import ButtonIds
from adapters.discord_adapter.command_tree import answer_line
from adapters.discord_adapter.custom_ids import BUTTON, FORM, ActionId, parse
from adapters.discord_adapter.forms import SpecForm, submitted, takes_milestones, wants_form
from adapters.discord_adapter.rendering import OutgoingMessage, Renderer
from bot.bug_reply import bug_line
from bot.commands.spec import CommandSpec
from bot.core import PivotCore
from bot.messages import DISCORD, Address, ArgValue, ChatUser, Invocation, MilestoneChoice, Reply

log = logging.getLogger(__name__)

DEFER_AFTER_SECONDS = 1.5  # of the 3 s Discord allows, leaving room for the round trips
PICKER_WAIT_SECONDS = 1.0  # a form's milestones are read before it opens; it opens regardless
POSTED_LINE = "Posted for everyone below."
EXPIRED_BUTTON_LINE = "That button has expired. Run the command again, e.g. `/pivot status`."
UNREADABLE_BUTTON_LINE = "That button is from an older pivotbot. Run `/pivot help` to carry on."
NO_SERVER_LINE = (
    "In a DM I can only help once you've joined a cohort: run `/pivot {command}` in your "
    "server's channel, e.g. `/pivot join` there first."
)
MANY_SERVERS_LINE = (
    "You're in cohorts in {count} servers, so I can't tell which one you mean here: run "
    "`/pivot {command}` in that server's channel."
)
OTHER_SERVER_LINE = (
    "That button belongs to a server where you're no longer in a cohort. Run `/pivot {command}` "
    "in your server's channel instead."
)


@dataclass(frozen=True)
class Where:
    """The tenant an interaction belongs to, or the line that explains why there is none."""

    tenant_id: str | None
    in_dm: bool
    problem: str = ""


@dataclass
class DiscordInbound:
    core: PivotCore
    buttons: ButtonIds
    renderer: Renderer
    defer_after: float = DEFER_AFTER_SECONDS
    picker_wait: float = PICKER_WAIT_SECONDS

    async def on_command(
        self, interaction: discord.Interaction, spec: CommandSpec, given: dict[str, ArgValue]
    ) -> None:
        if wants_form(spec, given):
            await self._open_form(interaction, spec, given, None)
            return
        await self._answer(interaction, spec.name, given, None)

    async def on_button(self, interaction: discord.Interaction, custom_id: str) -> None:
        action = parse(custom_id)
        if action is None or action.kind != BUTTON:
            return
        spec = self.core.registry.get(action.command)
        given: dict[str, ArgValue] = dict(action.args)
        if spec is not None and action.token is None and wants_form(spec, given):
            await self._open_form(interaction, spec, given, action.guild_id)
            return
        await self._answer(interaction, action.command, action, action.guild_id)

    async def on_unreadable_button(self, interaction: discord.Interaction) -> None:
        """A button whose id no ``PivotButton`` matches would otherwise fail in silence."""
        data: Mapping[str, Any] = interaction.data or {}
        action = parse(str(data.get("custom_id", "")))
        if action is None or action.kind != BUTTON:
            await answer_line(interaction, UNREADABLE_BUTTON_LINE)

    async def on_form(self, interaction: discord.Interaction) -> None:
        data: Mapping[str, Any] = interaction.data or {}
        action = parse(str(data.get("custom_id", "")))
        if action is None or action.kind != FORM:
            return
        chosen = dict(action.args)
        await self._answer(interaction, action.command, submitted(data, chosen), action.guild_id)

    async def _open_form(
        self,
        interaction: discord.Interaction,
        spec: CommandSpec,
        given: Mapping[str, ArgValue],
        guild_hint: str | None,
    ) -> None:
        """A modal must be the first response, so only a DM's one quick lookup comes first:
        nobody should fill in a form only to hear it cannot be saved here."""
        if interaction.guild_id is None and guild_hint is None:
            where = await self._where(interaction, spec.name, None)
            if where.tenant_id is None:
                await answer_line(interaction, where.problem)
                return
            guild_hint = where.tenant_id
        tenant = str(interaction.guild_id) if interaction.guild_id else guild_hint
        milestones = (
            await self._open_milestones(interaction, tenant) if takes_milestones(spec) else ()
        )
        form = SpecForm(spec, given, None if interaction.guild_id else guild_hint, milestones)
        try:
            await interaction.response.send_modal(form)
        except discord.HTTPException as exc:
            log.warning("could not open the %s form: %s", spec.name, exc)

    async def _open_milestones(
        self, interaction: discord.Interaction, tenant_id: str | None
    ) -> tuple[MilestoneChoice, ...]:
        """The member's open milestones for the form's picker; none if they take too long to
        read, since the modal must still be Discord's first answer within its 3 seconds."""
        if tenant_id is None:
            return ()
        user = ChatUser(DISCORD, tenant_id, str(interaction.user.id), interaction.user.display_name)
        try:
            found = await asyncio.wait_for(
                self.core.records.pending_milestones(user), self.picker_wait
            )
        except TimeoutError:
            log.info("the check-in form opens without milestones: the database was slow")
            return ()
        return found or ()

    async def _answer(
        self,
        interaction: discord.Interaction,
        command: str,
        given: dict[str, ArgValue] | ActionId,
        guild_hint: str | None,
    ) -> None:
        work = asyncio.ensure_future(self._produce(interaction, command, given, guild_hint))
        try:
            done, _ = await asyncio.wait({work}, timeout=self.defer_after)
            if not done:
                await self._defer(interaction)
            message = await work
        except asyncio.CancelledError:
            work.cancel()
            raise
        await self._deliver(interaction, message)

    async def _produce(
        self,
        interaction: discord.Interaction,
        command: str,
        given: dict[str, ArgValue] | ActionId,
        guild_hint: str | None,
    ) -> OutgoingMessage:
        try:
            where = await self._where(interaction, command, guild_hint)
            if where.tenant_id is None:
                return await self.renderer.render(Reply.error(where.problem), "", False)
            if isinstance(given, ActionId):
                args = await self.buttons.arguments(given, where.tenant_id)
                if args is None:
                    return await self.renderer.render(Reply.error(EXPIRED_BUTTON_LINE), "", False)
            else:
                args = given
            reply = await self.core.answer(invocation(interaction, where.tenant_id, command, args))
            return await self.renderer.render(reply, where.tenant_id, where.in_dm)
        except Exception:
            line = bug_line(log, "Discord interaction %s (%s) failed", interaction.id, command)
            return OutgoingMessage(line, None, None)

    async def _where(
        self, interaction: discord.Interaction, command: str, guild_hint: str | None
    ) -> Where:
        """In a guild, the guild. In a DM, the one guild where this person is a member (or the
        guild a button names, if they are a member there); otherwise a line saying where."""
        if interaction.guild_id is not None:
            return Where(str(interaction.guild_id), in_dm=False)
        tenants = await self.core.records.member_tenants(DISCORD, str(interaction.user.id))
        if guild_hint is not None:
            if guild_hint in tenants:
                return Where(guild_hint, in_dm=True)
            return Where(None, True, OTHER_SERVER_LINE.format(command=command))
        if len(tenants) == 1:
            return Where(tenants[0], in_dm=True)
        if not tenants:
            return Where(None, True, NO_SERVER_LINE.format(command=command))
        return Where(None, True, MANY_SERVERS_LINE.format(count=len(tenants), command=command))

    async def _defer(self, interaction: discord.Interaction) -> None:
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException as exc:
            log.warning("could not defer interaction %s: %s", interaction.id, exc)

    async def _deliver(self, interaction: discord.Interaction, message: OutgoingMessage) -> None:
        kwargs = message.send_kwargs()
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(**kwargs, ephemeral=message.ephemeral)
            elif message.ephemeral:
                # The first follow-up replaces the "thinking..." message, privately.
                await interaction.followup.send(**kwargs, ephemeral=True)
            else:
                await interaction.followup.send(POSTED_LINE, ephemeral=True)
                await interaction.followup.send(**kwargs, ephemeral=False)
        except discord.NotFound as exc:
            log.warning("interaction %s expired before its answer: %s", interaction.id, exc)
        except discord.HTTPException as exc:
            if interaction.response.is_done():
                log.warning("could not answer interaction %s: %s", interaction.id, exc)
            else:
                line = bug_line(log, "could not answer interaction %s", interaction.id)
                await answer_line(interaction, line)


def invocation(
    interaction: discord.Interaction, tenant_id: str, command: str, args: Mapping[str, ArgValue]
) -> Invocation:
    """The neutral request: the guild is the tenant, the interaction id the request id, and
    Manage Server (in this channel) makes a platform admin."""
    user = interaction.user
    in_guild = interaction.guild_id is not None
    is_admin = in_guild and interaction.permissions.manage_guild
    channel_id = str(interaction.channel_id) if in_guild and interaction.channel_id else None
    return Invocation(
        command=command,
        args=dict(args),
        raw_text=command,
        user=ChatUser(
            DISCORD, tenant_id, str(user.id), user.display_name, is_platform_admin=is_admin
        ),
        origin=Address(DISCORD, tenant_id, channel_id=channel_id, user_id=str(user.id)),
        request_id=str(interaction.id),
    )
