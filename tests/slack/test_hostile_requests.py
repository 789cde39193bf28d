"""Junk at /slack/events: refused with 400 or 401, never a 500, never a traceback in the log.

Unsigned or badly signed requests are refused before anything reads their body; signed ones
whose payload pivotbot cannot read get one log line and a 200 or 400. Socket Mode payloads,
which carry no signature, get the same check on the payload.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platform_service import PlatformInputs
from bot.config import Settings
from bot.core import PivotCore
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import (
    FORM,
    JSON,
    SIGNING_SECRET,
    event_callback,
    interaction,
    signature,
    signed_headers,
    slash_command,
)
from tests.support.slack_harness import SlackHarness, slack_settings, start_slack

PATH = "/slack/events"
NOW = "<now>"  # filled in as each request is sent, so no case goes stale while others run
A_COMMAND = slash_command("status", response_url="http://127.0.0.1:9/unused")


def _unsigned(
    body: str, *, timestamp: str = NOW, sig: str | None = None, content_type: str = FORM
) -> tuple[str, dict[str, str]]:
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp}
    headers["X-Slack-Signature"] = sig if sig is not None else "v0=" + "0" * 64
    return body, headers


def _timestamped(timestamp: str) -> tuple[str, dict[str, str]]:
    """Signed correctly over a timestamp that is not a whole number of seconds."""
    sig = signature(SIGNING_SECRET, timestamp, A_COMMAND)
    return _unsigned(A_COMMAND, timestamp=timestamp, sig=sig)


UNSIGNED_OR_BADLY_SIGNED: dict[str, tuple[str, dict[str, str]]] = {
    **{f"timestamp {ts!r}": _timestamped(ts) for ts in ("abc", "", "1e9", "NaN", "1795993747.5")},
    **{
        f"timestamp {ts!r}": _timestamped(ts)
        for ts in ("-1", " 1795993747", "0x6B0F7C93", "١٧٩٥٩٩٣٧٤٧", "9" * 40, "inf")
    },
    "non-ASCII signature": _unsigned(A_COMMAND, sig="v0=é" + "a" * 63),
    "signature without v0=": _unsigned(A_COMMAND, sig="a" * 64),
    "signature of emoji": _unsigned(A_COMMAND, sig="🔑" * 10),
    "no signature": (A_COMMAND, {"Content-Type": FORM, "X-Slack-Request-Timestamp": NOW}),
    "no timestamp": (A_COMMAND, {"Content-Type": FORM, "X-Slack-Signature": "v0=00"}),
    **{
        f"JSON {body}": _unsigned(body, content_type=JSON)
        for body in ("{", "[1]", "null", "12", '"text"', "{]", "")
    },
    **{
        f"form {body}": _unsigned(body) for body in ("payload=%7Bnot", "payload=%5B%5D", "payload=")
    },
}

SIGNED_BODIES: dict[str, tuple[str, str]] = {
    **{
        f"JSON {body}": (body, JSON)
        for body in ("{", "[1]", "null", "12", '"text"', "true", "{]", "{}")
    },
    **{
        f"form {body}": (body, FORM)
        for body in ("payload=%7Bnot", "payload=%5B%5D", "payload=null", "payload=", "=")
    },
}

BUTTON = {"action_id": "pivot|status|1", "block_id": "b1", "type": "button"}
USER = {"id": "UADA", "username": "ada", "team_id": "T1"}
TEAM = {"id": "T1", "domain": "t1"}


def _actions(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"type": "block_actions", "team": TEAM, "user": USER}
    payload["trigger_id"] = "1.2.3"
    payload["actions"] = [BUTTON]
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not ...}


def _submission(**view: Any) -> dict[str, Any]:
    shown = {"id": "V1", "type": "modal", "callback_id": "pivot_checkin", **view}
    shown.setdefault("private_metadata", "{}")
    return {
        "type": "view_submission",
        "team": TEAM,
        "user": USER,
        "view": {k: v for k, v in shown.items() if v is not ...},
    }


MALFORMED_INTERACTIONS: dict[str, dict[str, Any]] = {
    "block_actions with actions: []": _actions(actions=[]),
    "block_actions with no user": _actions(user=...),
    "block_actions with a user that is a string": _actions(user="UADA"),
    "block_actions with user: null": _actions(user=None),
    "block_actions with no actions": _actions(actions=...),
    "block_actions with actions: null": _actions(actions=None),
    "block_actions with an action that is a number": _actions(actions=[7]),
    "block_actions with no action_id": _actions(actions=[{"block_id": "b1"}]),
    "block_actions with a numeric value": _actions(actions=[{**BUTTON, "value": 5}]),
    "block_actions with team: []": _actions(team=[]),
    "block_actions with authorizations: 3": _actions(authorizations=3),
    "block_actions with authorizations: [null]": _actions(authorizations=[None]),
    "view_submission with no state": _submission(state=...),
    "view_submission with state: null": _submission(state=None),
    "view_submission with values: []": _submission(state={"values": []}),
    "view_submission with a field that is a list": _submission(state={"values": {"hours": []}}),
    "view_submission with private_metadata: [1]": _submission(
        private_metadata="[1]", state={"values": {}}
    ),
    "view_submission with view: null": {"type": "view_submission", "user": USER, "view": None},
    "view_submission with no callback_id": _submission(callback_id=..., state={"values": {}}),
    "view_submission with no view type": _submission(type=..., state={"values": {}}),
    "interactive_message with actions: []": {
        "type": "interactive_message",
        "callback_id": "c",
        "user": USER,
        "actions": [],
    },
    "a shared-channel payload with event: null": {
        "type": "shortcut",
        "callback_id": "c",
        "is_ext_shared_channel": True,
        "event": None,
        "user": USER,
    },
    "view_submission with response_urls: [5]": {
        **_submission(state={"values": {}}),
        "response_urls": [5],
    },
    "a payload with no type": {"team": TEAM, "user": USER},
    "a payload whose type is a list": {"type": ["block_actions"], "user": USER},
}

MALFORMED_EVENTS: dict[str, Any] = {
    "event: null": None,
    "event: a string": "app_home_opened",
    "event: []": [],
    "event with no type": {"user": "UADA", "tab": "home"},
    "app_home_opened with user: null": {"type": "app_home_opened", "user": None, "tab": "home"},
    "app_home_opened with user: {}": {"type": "app_home_opened", "user": {}, "tab": "home"},
    "tokens_revoked with tokens: [1]": {"type": "tokens_revoked", "tokens": [1]},
    "message with message: 5": {"type": "message", "message": 5},
}


def _command_without(*fields: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(A_COMMAND) if k not in fields]
    return urlencode(pairs)


MALFORMED_COMMANDS: dict[str, str] = {
    "slash command with no user_id": _command_without("user_id"),
    "slash command with an empty user_id": A_COMMAND.replace("user_id=UADA", "user_id="),
    "slash command with no team_id": _command_without("team_id"),
    "checkin form with no trigger_id": _command_without("trigger_id").replace(
        "text=status", "text=checkin"
    ),
    "slash command with no text": _command_without("text"),
}


async def test_a_body_that_is_not_utf8_is_refused_signed_or_not(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture
) -> None:
    body = b"text=caf\xe9&" + A_COMMAND.encode()
    stamp = str(int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + body
    good = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    for sig, status in (("v0=" + "0" * 64, 401), (good, 400)):
        headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamp}
        async with slack.http.post(
            slack.url + PATH, data=body, headers={**headers, "X-Slack-Signature": sig}
        ) as response:
            assert response.status == status
    assert _tracebacks(log_records) == []


@pytest.fixture
def log_records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.exc_info or "Traceback" in r.getMessage()
    ]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _sent_now(headers: dict[str, str]) -> dict[str, str]:
    return {k: str(int(time.time())) if v == NOW else v for k, v in headers.items()}


@pytest.mark.parametrize("name", list(UNSIGNED_OR_BADLY_SIGNED))
async def test_unsigned_junk_is_refused_without_a_traceback(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture, name: str
) -> None:
    body, stamped = UNSIGNED_OR_BADLY_SIGNED[name]
    headers = _sent_now(stamped)
    calls = len(slack.fake.calls)
    async with slack.http.post(slack.url + PATH, data=body, headers=headers) as response:
        assert response.status in (400, 401), name
    await slack.settled()
    assert _tracebacks(log_records) == []
    assert len(slack.fake.calls) == calls  # nothing was looked up or answered


async def test_two_hundred_junk_posts_write_no_traceback_and_at_most_a_line_each(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture
) -> None:
    requests = list(UNSIGNED_OR_BADLY_SIGNED.values())
    for number in range(200):
        body, headers = requests[number % len(requests)]
        await slack.post(PATH, body, _sent_now(headers))
    assert _tracebacks(log_records) == []
    assert len(log_records.records) <= 200


@pytest.mark.parametrize("name", list(SIGNED_BODIES))
async def test_a_signed_body_that_is_no_payload_gets_400_and_one_line(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture, name: str
) -> None:
    body, content_type = SIGNED_BODIES[name]
    response = await slack.post(PATH, body, signed_headers(body, content_type))
    await slack.settled()
    assert response.status == 400
    assert _tracebacks(log_records) == []
    assert len(_warnings(log_records)) == 1


async def _assert_answered_in_one_line(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    response = await slack.post(PATH, body, signed_headers(body, content_type))
    await slack.settled()
    assert response.status in (200, 400)
    assert _tracebacks(caplog) == []
    assert len(_warnings(caplog)) <= 1


@pytest.mark.parametrize("name", list(MALFORMED_INTERACTIONS))
async def test_a_signed_malformed_interaction_is_answered_without_a_traceback(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture, name: str
) -> None:
    await _assert_answered_in_one_line(
        slack, log_records, interaction(MALFORMED_INTERACTIONS[name]), FORM
    )


@pytest.mark.parametrize("name", list(MALFORMED_EVENTS))
async def test_a_signed_malformed_event_is_answered_without_a_traceback(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture, name: str
) -> None:
    body = json.loads(event_callback({}))
    body["event"] = MALFORMED_EVENTS[name]
    await _assert_answered_in_one_line(slack, log_records, json.dumps(body), JSON)


@pytest.mark.parametrize("name", list(MALFORMED_COMMANDS))
async def test_a_signed_malformed_slash_command_is_answered_without_a_traceback(
    slack: SlackHarness, log_records: pytest.LogCaptureFixture, name: str
) -> None:
    await _assert_answered_in_one_line(slack, log_records, MALFORMED_COMMANDS[name], FORM)


async def test_a_well_formed_command_still_gets_its_reply_after_the_junk(
    slack: SlackHarness,
) -> None:
    for body, headers in UNSIGNED_OR_BADLY_SIGNED.values():
        await slack.post(PATH, body, _sent_now(headers))
    reply = await slack.command("/pivot help")
    assert "/pivot join" in reply.text


# --- Socket Mode: no signature, so the payload check is all there is ---


@pytest.fixture
async def socket_slack(
    lookups: AsyncEngine, core: PivotCore, settings: Settings, fake_slack: FakeSlack
) -> AsyncIterator[SlackHarness]:
    configured = slack_settings(
        settings, fake_slack, slack_signing_secret=None, slack_app_token="xapp-1-test"
    )
    harness = await start_slack(PlatformInputs(core, configured, lookups), fake_slack)
    yield harness
    await harness.stop()


SOCKET_PAYLOADS: dict[str, tuple[str, Any]] = {
    **{f"interactive: {k}": ("interactive", v) for k, v in MALFORMED_INTERACTIONS.items()},
    **{
        f"events_api: {k}": ("events_api", {**json.loads(event_callback({})), "event": v})
        for k, v in MALFORMED_EVENTS.items()
    },
    **{
        f"slash_commands: {k}": ("slash_commands", dict(parse_qsl(v)))
        for k, v in MALFORMED_COMMANDS.items()
    },
    "interactive: a payload that is a list": ("interactive", [1]),
    "interactive: a payload that is null": ("interactive", None),
    "slash_commands: a payload that is a string": ("slash_commands", "status"),
}


@pytest.mark.parametrize("name", list(SOCKET_PAYLOADS))
async def test_a_malformed_socket_mode_payload_is_acknowledged_without_a_traceback(
    socket_slack: SlackHarness, log_records: pytest.LogCaptureFixture, name: str
) -> None:
    kind, payload = SOCKET_PAYLOADS[name]
    envelope = {"envelope_id": f"env-{name}", "type": kind, "payload": payload}
    ack = await socket_slack.fake.push(envelope)
    await socket_slack.settled()
    assert ack["envelope_id"] == envelope["envelope_id"]
    assert _tracebacks(log_records) == []
    assert len(_warnings(log_records)) <= 1
