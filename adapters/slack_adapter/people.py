"""Who is speaking: the display name and the admin flag from ``users.info``, cached briefly.

Slack's payloads carry only a user id (and a deprecated user name); whether someone is a
workspace admin or owner, which lets them run cohort commands, is only in ``users.info``.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import SLACK, ChatUser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    display_name: str
    is_admin: bool


class People:
    def __init__(
        self,
        ttl_seconds: float = 300.0,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._capacity = capacity
        self._clock = clock
        self._cache: OrderedDict[tuple[str, str], tuple[float, Person]] = OrderedDict()

    async def chat_user(
        self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str = ""
    ) -> ChatUser:
        person = await self.lookup(client, team_id, user_id, fallback_name)
        return ChatUser(SLACK, team_id, user_id, person.display_name, person.is_admin)

    def known(self, team_id: str, user_id: str) -> ChatUser | None:
        """The person as last looked up, if that answer is still fresh; never a Web API call."""
        cached = self._cache.get((team_id, user_id))
        if cached is None or cached[0] <= self._clock():
            return None
        person = cached[1]
        return ChatUser(SLACK, team_id, user_id, person.display_name, person.is_admin)

    async def lookup(
        self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str = ""
    ) -> Person:
        key = (team_id, user_id)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > self._clock():
            self._cache.move_to_end(key)
            return cached[1]
        try:
            answer = await client.users_info(user=user_id)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("users.info failed for %s/%s: %s", team_id, user_id, exc)
            # A stale answer beats none; with none, the member is treated as a non-admin.
            return cached[1] if cached else Person(fallback_name or user_id, False)
        person = _person(answer.get("user") or {}, fallback_name or user_id)
        self._cache[key] = (self._clock() + self._ttl, person)
        self._cache.move_to_end(key)
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        return person


def _person(user: dict[str, object], fallback: str) -> Person:
    profile = user.get("profile")
    names = (
        [profile.get("display_name"), profile.get("real_name")] if isinstance(profile, dict) else []
    )
    names += [user.get("real_name"), user.get("name")]
    name = next((str(n).strip() for n in names if isinstance(n, str) and n.strip()), fallback)
    is_admin = any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))
    return Person(name, is_admin)
