"""Drive the Discord adapter as members do, through real discord.py objects and the fake API:
``answer = await discord.slash("checkin", by=ADA, hours="6h", summary="shipped")``."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
from discord.gateway import DiscordWebSocket

from adapters.discord_adapter.service import DiscordService
from adapters.platform_service import PlatformInputs
from testkit.discord_payloads import APP_ID, Person, button, form, slash
from testkit.fake_discord import Call, FakeDiscord
from testkit.fake_discord_gateway import FakeGuild

GUILD_A = 700000000000000001
GUILD_B = 700000000000000002
A_GENERAL = 710000000000000001
A_SPRING = 710000000000000002
A_HIDDEN = 710000000000000003
A_READONLY = 710000000000000004
B_GENERAL = 710000000000000011
DM_CHANNEL = 720000000000000001

OLGA = Person(800000000000000001, "Olga", admin=True)  # runs guild A
ADA = Person(800000000000000002, "Ada")
SAM = Person(800000000000000003, "Sam")
BEA = Person(800000000000000004, "Bea", admin=True)  # runs guild B
PEOPLE = (OLGA, ADA, SAM, BEA)
EPHEMERAL = 64
SEND_MESSAGES = discord.Permissions(send_messages=True).value


@contextlib.asynccontextmanager
async def running_fake_discord() -> AsyncIterator[FakeDiscord]:
    """Discord on loopback with two guilds and four people; discord.py's REST base and
    gateway URL are put back afterwards, since a service under test points them at the fake."""
    fake = FakeDiscord()
    acme = fake.add_guild(FakeGuild(GUILD_A, "Acme"))
    acme.channel("general", A_GENERAL)
    acme.channel("pivot-spring", A_SPRING)
    acme.channel("staff-only", A_HIDDEN, visible=False)
    acme.channel("announcements", A_READONLY, bot_denied=SEND_MESSAGES)
    fake.add_guild(FakeGuild(GUILD_B, "Beta")).channel("general", B_GENERAL)
    for person in PEOPLE:
        fake.add_user(person.id, person.name)
    await fake.start()
    base, gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield fake
    finally:
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
        await fake.stop()


async def started(inputs: PlatformInputs, **kwargs: float) -> DiscordService:
    """A service logged in over REST, as after a (re)start; interactions are fed in directly."""
    service = DiscordService(inputs, guild_ready_timeout=0.05, **kwargs)
    await service.sending.start()
    return service


@dataclass
class Answer:
    """What one person saw for one interaction: the response and its follow-ups, in order."""

    calls: list[Call]
    fake: FakeDiscord

    @property
    def callback(self) -> dict[str, Any]:
        return next(c.body for c in self.calls if c.path.endswith("/callback"))

    @property
    def kind(self) -> int:
        """4 a message, 5 deferred ("thinking..."), 9 a modal."""
        return int(self.callback["type"])

    @property
    def bodies(self) -> list[dict[str, Any]]:
        found = []
        for call in self.calls:
            if call.path.endswith("/callback"):
                if self.kind == 4:
                    found.append(call.body.get("data") or {})
            elif call.method in ("POST", "PATCH"):
                found.append(call.body or {})
        return found

    @property
    def last(self) -> dict[str, Any]:
        return self.bodies[-1]

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.last.get("flags") or 0) & EPHEMERAL)

    @property
    def files(self) -> dict[str, bytes]:
        return {k: v for c in self.calls for k, v in c.files.items()}

    @property
    def text(self) -> str:
        return message_text(self.last)

    @property
    def labels(self) -> list[str]:
        return [
            c.get("label", "") for row in self.last.get("components", []) for c in row["components"]
        ]

    def as_message(self, channel_id: int = 0) -> dict[str, Any]:
        """The last message as Discord would hand it back in a later interaction."""
        return self.fake.message(channel_id, self.last, {})


def message_text(body: dict[str, Any]) -> str:
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for item in embed.get("fields") or []:
            parts += [item["name"], item["value"]]
    return "\n".join(p for p in parts if p)


class DiscordDriver:
    def __init__(self, service: DiscordService, fake: FakeDiscord) -> None:
        self.service = service
        self.fake = fake

    @property
    def client(self) -> discord.Client:
        return self.service.client

    async def slash(
        self,
        command: str,
        *,
        by: Person,
        in_guild: int | None = GUILD_A,
        in_channel: int = A_GENERAL,
        **options: Any,
    ) -> Answer:
        """Build the interaction from its payload and run it through our command tree."""
        payload = slash(command, by=by, in_guild=in_guild, in_channel=in_channel, **options)
        interaction = discord.Interaction(data=payload, state=self.client._connection)
        await self.client.tree._call(interaction)
        return self.answer(payload)

    async def press(
        self,
        message: dict[str, Any],
        label: str,
        *,
        by: Person,
        in_guild: int | None = GUILD_A,
        in_channel: int = A_GENERAL,
    ) -> Answer:
        return await self.deliver(
            button(message, label, by=by, in_guild=in_guild, in_channel=in_channel)
        )

    async def submit(
        self,
        custom_id: str,
        values: dict[str, str | list[str]],
        *,
        by: Person,
        in_guild: int | None = GUILD_A,
        in_channel: int = A_GENERAL,
    ) -> Answer:
        return await self.deliver(
            form(custom_id, values, by=by, in_guild=in_guild, in_channel=in_channel)
        )

    async def deliver(self, payload: dict[str, Any]) -> Answer:
        """As the gateway does with INTERACTION_CREATE; returns once the answer arrived."""
        self.client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        await self.fake.wait_for(lambda: self._answered(payload))
        return self.answer(payload)

    def _answered(self, payload: dict[str, Any]) -> bool:
        answer = self.answer(payload)
        return bool(answer.calls) and (answer.kind != 5 or len(answer.calls) > 1)

    def answer(self, payload: dict[str, Any]) -> Answer:
        token = re.escape(payload["token"])
        pattern = re.compile(
            rf"/interactions/{payload['id']}/{token}/callback|/webhooks/{APP_ID}/{token}.*"
        )
        return Answer([c for c in self.fake.calls if pattern.fullmatch(c.path)], self.fake)
