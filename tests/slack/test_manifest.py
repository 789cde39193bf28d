"""The app manifest an organiser pastes into Slack matches what the app really uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

import adapters.slack_adapter
from adapters.slack_adapter.bolt_app import BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH
from adapters.slack_adapter.listeners import SLASH_COMMAND
from adapters.slack_adapter.workspace_events import EVENTS

MANIFEST = Path(adapters.slack_adapter.__file__).parent / "manifest.yaml"


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_manifest_declares_pivot_with_escaped_mentions() -> None:
    (command,) = manifest()["features"]["slash_commands"]
    assert command["command"] == SLASH_COMMAND
    assert command["should_escape"] is True
    assert urlsplit(command["url"]).path == EVENTS_PATH


def test_manifest_turns_on_interactivity_and_the_home_tab() -> None:
    data = manifest()
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert urlsplit(data["settings"]["interactivity"]["request_url"]).path == EVENTS_PATH
    assert data["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_subscribes_exactly_the_events_the_app_handles() -> None:
    events = manifest()["settings"]["event_subscriptions"]
    assert set(events["bot_events"]) == set(EVENTS)
    assert urlsplit(events["request_url"]).path == EVENTS_PATH


def test_manifest_asks_for_exactly_the_scopes_the_oauth_install_requests() -> None:
    data = manifest()
    assert data["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert "user" not in data["oauth_config"]["scopes"]
    (redirect,) = data["oauth_config"]["redirect_urls"]
    assert urlsplit(redirect).path == REDIRECT_PATH
