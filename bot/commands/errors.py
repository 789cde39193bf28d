"""A user's mistake, as a value the dispatcher turns into one reply line.

Handlers, the parser and the registry all raise it, so it sits below all three.
"""

from __future__ import annotations

NOT_JOINED = "You haven't joined a cohort yet. Start with `/pivot join`."


class UsageError(Exception):
    """A user mistake. The dispatcher turns it into one reply line and rolls back."""


def one_line(text: str) -> str:
    """Replies that report a mistake stay on one line, whatever the input contained."""
    return " ".join(text.split())
