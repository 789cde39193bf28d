"""What a log line is about: the request id, the tenant, the platform and the command.

Set around each invocation and each delivery, and read by the log formatter, so every line
logged on the way (by us or by a library) carries them without being passed them.

The context also holds what the member wrote, never to print it: the formatter strikes it
out of any message or exception that happens to carry it. Logs must never hold a member's
words, and a library's error message is not ours to word.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from bot.messages import ArgValue, Invocation

SHORTEST_STRUCK = 6  # shorter strings (``join``, ``4``) are command words, not confidences


@dataclass(frozen=True)
class LogContext:
    request_id: str | None = None
    tenant: str | None = None
    platform: str | None = None
    command: str | None = None
    written: tuple[str, ...] = ()  # the member's own words, to strike out, never to print

    def fields(self) -> dict[str, str]:
        named = {
            "request_id": self.request_id,
            "tenant": self.tenant,
            "platform": self.platform,
            "command": self.command,
        }
        return {key: value for key, value in named.items() if value is not None}


_current: ContextVar[LogContext | None] = ContextVar("log_context", default=None)


def current() -> LogContext | None:
    return _current.get()


@contextlib.contextmanager
def logging_as(context: LogContext) -> Iterator[None]:
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)


def of_invocation(
    inv: Invocation, command: str | None = None, args: Mapping[str, ArgValue] | None = None
) -> LogContext:
    """The context of one invocation; ``args`` are its parsed arguments, once known."""
    values = [*inv.args.values(), *(args or {}).values()]
    texts = [inv.raw_text, *(v for v in values if isinstance(v, str))]
    return LogContext(
        request_id=inv.request_id,
        tenant=inv.user.tenant_id,
        platform=inv.user.platform,
        command=command or inv.command,
        written=tuple(t for t in texts if len(t.strip()) >= SHORTEST_STRUCK),
    )


def strike(text: str, context: LogContext | None) -> str:
    """``text`` without anything the member of ``context`` wrote."""
    if context is None:
        return text
    for written in sorted(context.written, key=len, reverse=True):
        text = text.replace(written, "[member text]")
    return text
