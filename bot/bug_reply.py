"""The one line a member sees when something broke on our side.

Every surface that catches a failure it cannot explain answers with this line and logs the
failure under the same short reference, so a member who quotes it leads straight to the log.
"""

from __future__ import annotations

import logging
import secrets

BUG_REPLY = (
    "Something went wrong on our side and nothing was saved. Please try again in a moment; "
    "if it keeps happening, tell your cohort admin (ref {ref})."
)


def bug_line(
    log: logging.Logger, what: str, *args: object, exc_info: bool | BaseException = True
) -> str:
    """Log ``what`` (a %-format over ``args``) with a fresh reference; return the member's line."""
    ref = secrets.token_hex(4)
    log.error(what + " (ref %s)", *args, ref, exc_info=exc_info)
    return BUG_REPLY.format(ref=ref)
