"""What an adapter keeps or looks up in the database outside a command, as neutral calls.

Commands go through the dispatcher, one transaction each. A few things an adapter needs are
not commands: which workspace a DM belongs to, whether an event was handled already, a form's
choices before it opens, a button's long arguments, the console's demo cohort. Each is one
call here, in one short transaction, so no adapter opens a session or knows a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.loader import ContentLibrary
from bot.messages import ArgValue, ChatUser, MilestoneChoice
from bot.ports import Clock
from bot.services.buttons import load_button_args, store_button_args
from bot.services.deliveries import cancel_pending
from bot.services.pending_milestones import pending_milestones
from bot.services.request_log import claim_request
from bot.services.tenancy import ensure_cohort, ensure_tenant, member_tenant_ids


@dataclass(frozen=True)
class PlatformRecords:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentLibrary

    async def member_tenants(self, platform: str, user_id: str) -> list[str]:
        """The workspaces or guilds where this person is a member or a cohort admin, for a
        request that arrives outside any of them (a Discord DM)."""
        async with self.sessions() as session:
            return await member_tenant_ids(session, platform, user_id)

    async def pending_milestones(self, user: ChatUser) -> tuple[MilestoneChoice, ...] | None:
        """The open milestones of the member's phase, for a check-in form; None for a
        non-member."""
        async with self.sessions() as session:
            return await pending_milestones(session, self.content, user)

    async def claim_event(
        self, platform: str, tenant_id: str, event_id: str, kind: str, user_id: str = ""
    ) -> bool:
        """True the first time this event id arrives in this tenant, False for every retry."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            tenant = await ensure_tenant(session, platform, tenant_id, now)
            return await claim_request(session, tenant.id, f"event:{event_id}", kind, user_id, now)

    async def cancel_messages(self, platform: str, tenant_id: str, reason: str) -> int:
        """Stop every message still waiting for a tenant that can no longer receive them (the
        app was removed); the rows stay, with the reason. Returns how many were stopped."""
        async with self.sessions() as session, session.begin():
            tenant = await ensure_tenant(session, platform, tenant_id, self.clock.now())
            return await cancel_pending(session, tenant.id, reason)

    async def keep_button_args(
        self,
        platform: str,
        tenant_id: str,
        buttons: Sequence[tuple[str, Mapping[str, ArgValue]]],
    ) -> list[str]:
        """Keep each button's (command, arguments) server-side; the tokens, in order."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            tenant = await ensure_tenant(session, platform, tenant_id, now)
            return [
                await store_button_args(session, tenant.id, command, args, now)
                for command, args in buttons
            ]

    async def button_args(
        self, platform: str, tenant_id: str, token: str
    ) -> tuple[str, dict[str, ArgValue]] | None:
        """The command and arguments kept under ``token``; None when they are gone."""
        async with self.sessions() as session, session.begin():
            tenant = await ensure_tenant(session, platform, tenant_id, self.clock.now())
            return await load_button_args(session, tenant.id, token)

    async def ensure_cohort(
        self,
        platform: str,
        tenant_id: str,
        name: str,
        *,
        channel: str,
        timezone: str,
        first_admin: str,
    ) -> bool:
        """Create a cohort with its channel and first admin unless it exists (the console's
        demo); whether it was created just now."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            tenant = await ensure_tenant(session, platform, tenant_id, now)
            return await ensure_cohort(
                session,
                tenant.id,
                name,
                channel=channel,
                timezone=timezone,
                first_admin=first_admin,
                now=now,
            )
