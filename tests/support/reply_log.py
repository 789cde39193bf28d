"""Every reply the suite produced, and the ``/pivot …`` commands written in backticks in them.

The suite's own conversations reach far more corners than any one test could list: the
dispatcher's answers and every message the scheduler plans or renders as it sends are kept
here while the suite runs, so one test, run last, can check that each command a reply tells a
member to type runs as written. Nothing is replaced: the real answer is recorded and returned
unchanged.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from bot.core import PivotCore
from bot.domain.deliveries import PlannedDelivery
from bot.messages import Invocation, Reply
from scheduler import deliverer

SEEN: set[str] = set()
BACKTICKED = re.compile(r"`(/pivot(?: [^`\n]*)?)`")


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Keep the text of every answer and every planned message until the context ends."""
    answer, planned = PivotCore.answer, PlannedDelivery.__post_init__
    rendered = deliverer.reply_at_send

    async def recorded_answer(self: PivotCore, inv: Invocation) -> Reply:
        reply = await answer(self, inv)
        SEEN.add(reply.text)
        return reply

    def recorded_plan(self: PlannedDelivery) -> None:
        planned(self)
        if self.reply is not None:  # a post about others is rendered as it is sent
            SEEN.add(self.reply.text)

    async def recorded_render(*args: Any) -> Reply | None:
        reply = await rendered(*args)
        if reply is not None:
            SEEN.add(reply.text)
        return reply

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PivotCore, "answer", recorded_answer)
        patch.setattr(PlannedDelivery, "__post_init__", recorded_plan)
        patch.setattr(deliverer, "reply_at_send", recorded_render)
        yield


def backticked_commands(texts: Iterable[str]) -> set[str]:
    return {match for text in texts for match in BACKTICKED.findall(text)}
