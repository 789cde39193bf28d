"""Discord's size limits, in one place, and the one way we cut text to fit them.

Discord rejects a whole message (or a whole command sync) when one part is too long, so every
string that reaches it passes through :func:`fit` against one of these.
"""

from __future__ import annotations

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_TOTAL = 6000

VIEW_ITEMS = 25
ROW_ITEMS = 5
ROWS = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
LINK_URL = 512  # a link button's url

COMMAND_DESCRIPTION = 100
COMMAND_CHARACTERS = 8000  # names, descriptions and choices of a command and all it holds
CHOICES = 25
OPTIONS = 25
SUBCOMMANDS = 25
STRING_OPTION_LENGTH = 6000

MODAL_TITLE = 45
MODAL_COMPONENTS = 5  # labels, each holding one input or select
LABEL_TEXT = 45
INPUT_LENGTH = 4000
PLACEHOLDER = 100
SELECT_OPTIONS = 25
OPTION_LABEL = 100

ELLIPSIS = "…"


def fit(text: str, limit: int, fallback: str = ELLIPSIS) -> str:
    """``text`` in at most ``limit`` characters (an ellipsis marks a cut), never empty."""
    text = text.strip()
    if not text:
        return fallback[:limit]
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS
