"""Drive the whole core in process, as a conversation: ``await bot.say("/pivot status")``."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import ManualClock
from bot.core import PivotCore
from bot.messages import CONSOLE, Address, ArgValue, ChatUser, Invocation, Reply

_request_ids = itertools.count(1)


@dataclass
class BotDriver:
    core: PivotCore
    clock: ManualClock
    platform: str = CONSOLE
    tenant: str = "acme"
    admins: set[str] = field(default_factory=set)

    def user(self, name: str, tenant: str | None = None) -> ChatUser:
        return ChatUser(
            self.platform,
            tenant or self.tenant,
            name.lower(),
            name,
            # Platform admins of the driver's own workspace only, as Slack and Discord flag them.
            is_platform_admin=name.lower() in self.admins
            and (tenant or self.tenant) == self.tenant,
        )

    def invocation(
        self,
        text: str = "",
        *,
        as_: str = "ada",
        tenant: str | None = None,
        channel: str | None = None,
        command: str | None = None,
        args: dict[str, ArgValue] | None = None,
        request_id: str | None = None,
    ) -> Invocation:
        user = self.user(as_, tenant)
        raw = text.removeprefix("/pivot").strip()
        return Invocation(
            command=command,
            args=args or {},
            raw_text=raw,
            user=user,
            origin=Address(self.platform, user.tenant_id, channel_id=channel, user_id=user.user_id),
            request_id=request_id or f"req-{next(_request_ids)}",
        )

    async def say(self, text: str, **kwargs: object) -> Reply:
        return await self.core.answer(self.invocation(text, **kwargs))  # type: ignore[arg-type]

    async def press(
        self, reply: Reply, label: str, *, as_: str = "ada", tenant: str | None = None
    ) -> Reply:
        button = next(b for b in reply.buttons if b.label == label)
        inv = self.invocation(as_=as_, tenant=tenant, command=button.command, args=button.arg_dict)
        return await self.core.answer(inv)

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))
