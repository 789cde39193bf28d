"""The console's outbox: DMs and channel posts become printed lines."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from adapters.console_adapter.render import render_reply
from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult, Sent


@dataclass
class ConsoleOutbox:
    """Collects what was sent, as ``[DM to <name>] ...`` and ``[#<channel>] ...`` lines."""

    out_dir: Path = Path("pivotbot-out")
    lines: list[str] = field(default_factory=list)
    last_dm: dict[str, Reply] = field(default_factory=dict)  # by user id, for :press
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        self.lines.append(f"[DM to {user.display_name}] {render_reply(reply, self.out_dir)}")
        self.last_dm[user.user_id] = reply
        return Sent(f"console-{next(self._ids)}")

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        self.lines.append(f"[#{address.channel_id}] {render_reply(reply, self.out_dir)}")
        return Sent(f"console-{next(self._ids)}")

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines
