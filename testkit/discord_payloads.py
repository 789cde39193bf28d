"""Interaction payloads as Discord sends them: slash commands with (sub)command options,
button presses carrying the pressed message, and modal submissions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import discord

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
TIMESTAMP = "2026-11-30T09:00:00.000000+00:00"
ADMIN_PERMISSIONS = discord.Permissions.all().value
MEMBER_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    use_application_commands=True,
).value
_OPTION_TYPES = {str: 3, int: 4, bool: 5}
_ids = itertools.count(1_200_000_000_000_000_000)


def next_id() -> int:
    return next(_ids)


def user_json(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name.lower(),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def bot_user() -> dict[str, Any]:
    return user_json(BOT_ID, "pivotbot", bot=True)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    admin: bool = False  # Manage Server in the guild

    def user(self) -> dict[str, Any]:
        return user_json(self.id, self.name)

    def member(self, with_user: bool = True) -> dict[str, Any]:
        member: dict[str, Any] = {
            "roles": [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
            "permissions": str(ADMIN_PERMISSIONS if self.admin else MEMBER_PERMISSIONS),
        }
        if with_user:
            member["user"] = self.user()
        return member


@dataclass(frozen=True)
class ChannelRef:
    id: int
    name: str
    type: int = 0


def _base(
    kind: int, data: dict[str, Any], by: Person, guild: int | None, channel: int
) -> dict[str, Any]:
    interaction_id = next_id()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "data": data,
        "channel_id": str(channel),
        "token": f"token-{interaction_id}",
        "version": 1,
        "app_permissions": str(MEMBER_PERMISSIONS),
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 26214400,
    }
    if guild is not None:
        payload["guild_id"] = str(guild)
        payload["guild"] = {"id": str(guild), "locale": "en-US", "features": []}
        payload["guild_locale"] = "en-US"
        payload["channel"] = {
            "id": str(channel),
            "type": 0,
            "guild_id": str(guild),
            "name": "general",
            "position": 0,
            "nsfw": False,
            "permissions": payload["app_permissions"],
        }
        payload["member"] = by.member()
        payload["authorizing_integration_owners"] = {"0": str(guild)}
        payload["context"] = 0
    else:
        payload["channel"] = {"id": str(channel), "type": 1, "recipients": [by.user()]}
        payload["user"] = by.user()
        payload["authorizing_integration_owners"] = {"0": "0"}
        payload["context"] = 1
    return payload


def slash(
    command: str, *, by: Person, in_guild: int | None, in_channel: int, **options: Any
) -> dict[str, Any]:
    """``/pivot <command> option:value ...``; a two-word command is a subcommand group."""
    resolved: dict[str, dict[str, Any]] = {}
    typed = [_option(name, value, resolved) for name, value in options.items()]
    words = command.split()
    leaf: dict[str, Any] = {"type": 1, "name": words[-1], "options": typed}
    if len(words) == 2:
        leaf = {"type": 2, "name": words[0], "options": [leaf]}
    data: dict[str, Any] = {"id": str(APP_ID + 7), "name": "pivot", "type": 1, "options": [leaf]}
    if in_guild is not None:
        data["guild_id"] = str(in_guild)
    if resolved:
        data["resolved"] = resolved
    return _base(2, data, by, in_guild, in_channel)


def _option(name: str, value: Any, resolved: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if isinstance(value, Person):
        resolved.setdefault("users", {})[str(value.id)] = value.user()
        resolved.setdefault("members", {})[str(value.id)] = value.member(with_user=False)
        return {"type": 6, "name": name, "value": str(value.id)}
    if isinstance(value, ChannelRef):
        resolved.setdefault("channels", {})[str(value.id)] = {
            "id": str(value.id),
            "name": value.name,
            "type": value.type,
            "permissions": str(MEMBER_PERMISSIONS),
        }
        return {"type": 7, "name": name, "value": str(value.id)}
    return {"type": _OPTION_TYPES[type(value)], "name": name, "value": value}


def button(
    message: dict[str, Any], label: str, *, by: Person, in_guild: int | None, in_channel: int
) -> dict[str, Any]:
    """A press of the button labelled ``label`` on ``message`` (as Discord returned it)."""
    custom_id = next(
        component["custom_id"]
        for row in message["components"]
        for component in row["components"]
        if component.get("label") == label
    )
    data = {"custom_id": custom_id, "component_type": 2}
    payload = _base(3, data, by, in_guild, in_channel)
    payload["message"] = message
    return payload


def form(
    custom_id: str,
    values: dict[str, str | list[str]],
    *,
    by: Person,
    in_guild: int | None,
    in_channel: int,
) -> dict[str, Any]:
    """A modal submission as Discord sends one built of labels: text typed into an input, or
    the options picked in a select (given as a list)."""
    labels = [
        {
            "type": 18,
            "id": number * 2 + 1,
            "component": (
                {"type": 3, "id": number * 2 + 2, "custom_id": key, "values": value}
                if isinstance(value, list)
                else {"type": 4, "id": number * 2 + 2, "custom_id": key, "value": value}
            ),
        }
        for number, (key, value) in enumerate(values.items())
    ]
    return _base(5, {"custom_id": custom_id, "components": labels}, by, in_guild, in_channel)
