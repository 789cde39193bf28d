"""Requests exactly as Slack sends them: form-encoded or JSON bodies, signed with the secret."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
from typing import Any
from urllib.parse import urlencode

SIGNING_SECRET = "test-signing-secret-0123456789ab"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_numbers = itertools.count(1)
_BARE_LINK = re.compile(r"(?<![<|])(https?://[^\s|<>]+)")


def signature(secret: str, timestamp: str, body: str) -> str:
    """``v0=`` + HMAC-SHA256 of ``v0:{timestamp}:{body}``, as Slack's docs define it."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str,
    content_type: str = FORM,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    retry_num: int | None = None,
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(secret, stamp, body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def next_id(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}"


def linked(text: str) -> str:
    """``text`` with its links as Slack sends them in a slash command: ``<https://...>``."""
    return _BARE_LINK.sub(r"<\1>", text)


def slash_command(
    text: str,
    *,
    response_url: str,
    user: str = "UADA",
    team: str = "T1",
    channel: str = "C1",
    user_name: str = "ada",
    trigger_id: str | None = None,
) -> str:
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team,
            "team_domain": f"team-{team.lower()}",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user_name,
            "command": "/pivot",
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or next_id("1337.42."),
        }
    )


def interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def button_press(
    button: dict[str, Any],
    block_id: str,
    *,
    response_url: str | None,
    user: str = "UADA",
    team: str = "T1",
    channel: str = "C1",
    message_ts: str = "1700000000.000100",
) -> dict[str, Any]:
    """A ``block_actions`` payload for pressing a button we rendered into a message."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "api_app_id": "A1",
        "team": {"id": team, "domain": f"team-{team.lower()}"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "trigger_id": next_id("1337.43."),
        "actions": [
            {
                "type": "button",
                "block_id": block_id,
                "action_id": button["action_id"],
                "text": button["text"],
                "action_ts": f"{time.time():.6f}",
                **({"value": button["value"]} if "value" in button else {}),
            }
        ],
    }
    if response_url is None:  # pressed in the App Home tab
        payload["container"] = {"type": "view", "view_id": "VHOME"}
        payload["view"] = {"id": "VHOME", "type": "home", "hash": "h"}
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": True,
        }
        payload["channel"] = {"id": channel, "name": "general"}
        payload["response_url"] = response_url
    return payload


def view_submission(
    view: dict[str, Any], values: dict[str, Any], *, user: str = "UADA", team: str = "T1"
) -> dict[str, Any]:
    """Submitting the modal ``view`` (as opened) with ``values`` typed into its inputs."""
    return {
        "type": "view_submission",
        "api_app_id": "A1",
        "team": {"id": team, "domain": f"team-{team.lower()}"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "trigger_id": next_id("1337.44."),
        "view": {**view, "state": {"values": values}, "team_id": team},
    }


def typed(**fields: str) -> dict[str, Any]:
    """Modal state: text typed into the inputs named by ``fields``."""
    return {
        name: {name: {"type": "plain_text_input", "value": value}} for name, value in fields.items()
    }


def picked(name: str, value: str | None) -> dict[str, Any]:
    """Modal state: ``value`` picked from the select ``name`` (None: nothing picked)."""
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {name: {name: {"type": "static_select", "selected_option": option}}}


def event_callback(event: dict[str, Any], *, team: str = "T1", event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or next_id("Ev"),
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
    )
