"""Every reply the suite produced, and the ``/pivot …`` commands written in backticks in them.

The suite's own conversations reach far more corners than any one test could list: the
dispatcher's answers and every message the scheduler plans are kept here while the suite runs,
so one test, run last, can check that each command a reply tells a member to type runs as
written. Nothing is replaced: the real answer is recorded and returned unchanged.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator

import pytest

from bot.core import PivotCore
from bot.domain.deliveries import PlannedDelivery
from bot.messages import Invocation, Reply

SEEN: set[str] = set()
BACKTICKED = re.compile(r"`(/pivot(?: [^`\n]*)?)`")


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Keep the text of every answer and every planned message until the context ends."""
    answer, planned = PivotCore.answer, PlannedDelivery.__post_init__

    async def recorded_answer(self: PivotCore, inv: Invocation) -> Reply:
        reply = await answer(self, inv)
        SEEN.add(reply.text)
        return reply

    def recorded_plan(self: PlannedDelivery) -> None:
        planned(self)
        SEEN.add(self.reply.text)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PivotCore, "answer", recorded_answer)
        patch.setattr(PlannedDelivery, "__post_init__", recorded_plan)
        yield


def backticked_commands(texts: Iterable[str]) -> set[str]:
    return {match for text in texts for match in BACKTICKED.findall(text)}
