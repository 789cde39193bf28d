"""Small facts read the same way from every kind of Slack payload, and the shape a payload must
have before Bolt or our listeners read it.

Bolt builds its context from a payload's ``team``, ``user``, ``authorizations`` and friends
without checking their types, and our listeners index the fields each kind always carries.
A payload that breaks either is refused here with a reason, in HTTP and Socket Mode alike,
instead of surfacing as a traceback somewhere inside them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

Payload = dict[str, Any]

# What Bolt's context builder reads from any payload, when present, and the types it expects.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "team": (dict, str),
    "user": (dict, str),
    "enterprise": (dict, str),
    "channel": (dict, str),
    "authorizations": (list,),
    "event": (dict,),
    "view": (dict,),
    "message": (dict,),
    "previous_message": (dict,),
    "container": (dict,),
    "actions": (list,),
    "item": (dict,),
    "assistant_thread": (dict,),
    "function_data": (dict,),
    "response_urls": (list,),
}
_LISTS_OF_OBJECTS = ("authorizations", "response_urls")


def team_of(body: dict[str, Any], context: AsyncBoltContext) -> str:
    """The tenant: the workspace the request came from."""
    team = context.team_id or body.get("team_id") or (body.get("team") or {}).get("id")
    return str(team or context.enterprise_id or "")


def payload_problem(payload: object) -> str | None:
    """Why this payload cannot be read, in a few words, or None when it can."""
    if not isinstance(payload, dict):
        return "a payload that is not a JSON object"
    for name, types in _FIELD_TYPES.items():
        value = payload.get(name)
        # Bolt reads a present ``event`` with .get() whatever it is, null included.
        if (value is not None or (name == "event" and name in payload)) and not isinstance(
            value, types
        ):
            return f"a payload whose `{name}` is a {type(value).__name__}"
    for name in _LISTS_OF_OBJECTS:
        if not all(isinstance(item, dict) for item in payload.get(name) or []):
            return f"a payload whose `{name}` are not objects"
    if "command" in payload:
        return _command_problem(payload)
    if "ssl_check" in payload:
        return None  # Bolt answers Slack's certificate check itself
    kind = payload.get("type")
    if not isinstance(kind, str):
        return "a payload with no type"
    check = _KIND_CHECKS.get(kind)
    return None if check is None else check(payload)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _command_problem(payload: Payload) -> str | None:
    missing = [
        f for f in ("command", "user_id", "team_id", "trigger_id") if not _text(payload.get(f))
    ]
    if missing:
        return f"a slash command without {', '.join(missing)}"
    if not all(isinstance(payload.get(f, ""), str) for f in ("text", "channel_id", "response_url")):
        return "a slash command with a field that is not text"
    return None


def _user_problem(payload: Payload) -> str | None:
    user = payload.get("user")
    if not isinstance(user, dict) or not _text(user.get("id")):
        return f"a {payload['type']} payload without a user"
    return None


def _actions_problem(payload: Payload) -> str | None:
    """Bolt reads the first action of ``block_actions`` and ``interactive_message`` alike."""
    actions = payload.get("actions")
    if not actions or not all(
        isinstance(a, dict)
        and _text(a.get("action_id"))
        and isinstance(a.get("value", ""), str)
        and isinstance(a.get("block_id", ""), str)
        for a in actions
    ):
        return f"a {payload['type']} payload without readable actions"
    if not isinstance(payload.get("trigger_id", ""), str):
        return f"a {payload['type']} payload whose trigger_id is not text"
    return _user_problem(payload)


def _view_problem(payload: Payload) -> str | None:
    view = payload.get("view")
    if not isinstance(view, dict) or not all(
        _text(view.get(field)) for field in ("id", "type", "callback_id")
    ):
        return f"a {payload['type']} payload without a view's id, type and callback id"
    if not isinstance(view.get("private_metadata", ""), str):
        return f"a {payload['type']} payload whose private_metadata is not text"
    if payload["type"] == "view_submission":
        state = view.get("state")
        values = state.get("values") if isinstance(state, dict) else None
        if not isinstance(values, dict) or not all(
            isinstance(block, dict) and all(isinstance(e, dict) for e in block.values())
            for block in values.values()
        ):
            return "a view_submission payload without its state"
    return _user_problem(payload)


def _event_problem(payload: Payload) -> str | None:
    event = payload.get("event")
    if not isinstance(event, dict) or not _text(event.get("type")):
        return "an event_callback payload without an event"
    if not isinstance(event.get("user", ""), str):
        return "an event whose user is not an id"
    if not all(
        isinstance(event.get(field) or {}, dict)
        for field in ("tokens", "message", "previous_message")
    ):
        return "an event with a part that is not an object"
    return None


def _challenge_problem(payload: Payload) -> str | None:
    return None if _text(payload.get("challenge")) else "a url_verification without a challenge"


_KIND_CHECKS: dict[str, Callable[[Payload], str | None]] = {
    "block_actions": _actions_problem,
    "interactive_message": _actions_problem,
    "view_submission": _view_problem,
    "view_closed": _view_problem,
    "event_callback": _event_problem,
    "url_verification": _challenge_problem,
}
