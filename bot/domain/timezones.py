"""Which names are timezones: the keys the installed timezone database lists, nothing else.

``ZoneInfo(name)`` opens a file under the database's folder, so a name is also a path: a
folder (``America/Argentina``), a way out (``../``), an absolute path or a NUL each fail with
a different exception, and new ones come with each Python. Looking the name up among the
listed keys first means no name a member types ever reaches the file system.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def _keys_by_folded_name() -> dict[str, str]:
    return {key.casefold(): key for key in available_timezones()}


def known_timezone(name: str) -> str | None:
    """The database's own spelling of ``name`` (matched without regard to case), or None.

    Only area/city names and UTC count: the database's other keys (``EST``, ``Zulu``,
    ``posixrules``) are legacy aliases nobody means to type.
    """
    key = _keys_by_folded_name().get(name.casefold())
    if key is None or ("/" not in key and key != "UTC"):
        return None
    return key
