"""A deliverer in its own process that sends one message, reports it, and hangs before it can
record the result, so a test can kill it at the worst moment: a real crash, not a simulated one.

    python -m tests.support.crashing_deliverer <database-url> <now-iso> <sent-log-path>
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

from bot.clock import ManualClock
from bot.content.loader import load_library
from bot.db.engine import create_engine, session_factory
from bot.messages import Address, ChatUser, Reply
from bot.ports import DeliveryResult
from scheduler.deliverer import Deliverer


class HangingOutbox:
    def __init__(self, log: Path) -> None:
        self.log = log

    async def send_dm(self, user: ChatUser, reply: Reply) -> DeliveryResult:
        with self.log.open("a") as out:
            out.write(f"@{user.user_id}\n")
        print("SENT", flush=True)
        await asyncio.Event().wait()  # the process is killed here, before recording
        raise AssertionError("unreachable")

    async def post(self, address: Address, reply: Reply) -> DeliveryResult:
        raise AssertionError("this test sends DMs only")


async def main(url: str, now: str, log: str) -> None:
    engine = create_engine(url)
    deliverer = Deliverer(
        session_factory(engine),
        ManualClock(datetime.fromisoformat(now)),
        load_library(),
        {"console": HangingOutbox(Path(log))},
        concurrency=1,
        batch_size=5,
        owner="doomed",
    )
    await deliverer.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
