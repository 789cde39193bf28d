"""When two evidence links are the same link.

A member may not prove two milestones with one link, and writing it a little differently
(``http`` for ``https``, ``www.``, a trailing slash or an ``#anchor``) must not get round that.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def evidence_key(url: str) -> str:
    """The part of a link that says what it points at: host, path and query."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"
