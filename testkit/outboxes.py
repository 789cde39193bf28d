"""An outbox that records what would have been sent and answers as told: a stand-in for a
platform, used where the test is about the scheduler rather than Slack or Discord."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult, Sent

Answer = Callable[[str], DeliveryResult | None]


@dataclass
class RecordingOutbox:
    answer: Answer = lambda _target: None  # None means "sent"
    delay: float = 0.0
    sent: list[tuple[str, str]] = field(default_factory=list)  # (target, text)
    replies: list[tuple[str, Reply]] = field(default_factory=list)  # (target, reply) as sent
    attempts: Counter[str] = field(default_factory=Counter)
    attempted: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        return await self._deliver(f"@{user.user_id}", reply)

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        return await self._deliver(f"#{address.channel_id}", reply)

    async def _deliver(self, target: str, reply: Reply) -> DeliveryResult:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.attempts[target] += 1
        self.attempted.set()
        answer = self.answer(target)
        if answer is not None:
            return answer
        self.sent.append((target, reply.text))
        self.replies.append((target, reply))
        return Sent(f"m{next(self._ids)}")

    def texts_to(self, target: str) -> list[str]:
        return [text for to, text in self.sent if to == target]
