"""Small facts read the same way from every kind of Slack payload."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext


def team_of(body: dict[str, Any], context: AsyncBoltContext) -> str:
    """The tenant: the workspace the request came from."""
    team = context.team_id or body.get("team_id") or (body.get("team") or {}).get("id")
    return str(team or context.enterprise_id or "")
