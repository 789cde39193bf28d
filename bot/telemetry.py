"""What the core and the scheduler report about their own work, for whoever measures it.

A port, like ``Outbox``: the core says "a command was answered, this fast, this way" and
knows nothing of Prometheus; the composition root plugs in the real recorder, and tests and
the console keep the silent one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class ReplyOutcome(StrEnum):
    """How an answer ended, as an operator counts them."""

    OK = "ok"
    USAGE_ERROR = "usage_error"  # the member's mistake, answered with one line
    BUSY = "busy"  # the database could not take the work
    BUG = "bug"  # our mistake, logged with a reference


class RateLimit(StrEnum):
    """Who made a send wait: our own shared cap, or the platform's 429."""

    CAP = "cap"
    PLATFORM = "platform"


class Telemetry(Protocol):
    def command_answered(
        self, platform: str, command: str, outcome: ReplyOutcome, seconds: float
    ) -> None: ...

    def delivery_recorded(self, kind: str, status: str) -> None: ...

    def sent(self, platform: str, seconds: float) -> None:
        """One call to a platform's outbox, however it ended."""

    def rate_limit_wait(self, platform: str, limit: RateLimit, seconds: float) -> None: ...


class NoTelemetry:
    """Measures nothing: for tests, the console and ``pivotbot jobs``."""

    def command_answered(
        self, platform: str, command: str, outcome: ReplyOutcome, seconds: float
    ) -> None:
        pass

    def delivery_recorded(self, kind: str, status: str) -> None:
        pass

    def sent(self, platform: str, seconds: float) -> None:
        pass

    def rate_limit_wait(self, platform: str, limit: RateLimit, seconds: float) -> None:
        pass
