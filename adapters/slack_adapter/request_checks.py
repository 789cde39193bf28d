"""What a request to ``/slack/events`` must pass before Bolt reads any of it.

Bolt parses the body and the timestamp header before it checks the signature, and whatever it
cannot parse becomes a 500 with a logged traceback: anyone could fill the log that way. So
the signature is checked here first, over the raw bytes, with every header treated as hostile
text (a timestamp is whole seconds in ASCII digits, a signature is ``v0=`` and 64 hex digits);
only a signed, fresh request has its body parsed, and only a payload Bolt and our listeners
can read goes on to Bolt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import (
    build_normalized_headers,
    extract_content_type,
    parse_body,
)

from adapters.slack_adapter.payloads import payload_problem

MAX_AGE_SECONDS = 5 * 60  # Slack's own advice: refuse anything older, so a replay goes stale
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass(frozen=True)
class Refusal:
    """Why a request is turned away, and the HTTP status that says so."""

    status: int
    reason: str


def signature_refusal(
    body: bytes, headers: Mapping[str, str], secret: str, now: float
) -> Refusal | None:
    """None for a request signed with ``secret`` within the last five minutes."""
    timestamp = headers.get(TIMESTAMP_HEADER)
    if timestamp is None or _TIMESTAMP.fullmatch(timestamp) is None:
        return Refusal(401, "no timestamp in whole seconds")
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return Refusal(401, "a timestamp more than five minutes away")
    signature = headers.get(SIGNATURE_HEADER)
    if signature is None or _SIGNATURE.fullmatch(signature) is None:
        return Refusal(401, "no signature of the form v0=<64 hex digits>")
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):  # both are ASCII by now
        return Refusal(401, "a signature that does not match")
    return None


def bolt_request(body: bytes, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest | Refusal:
    """The request as Bolt takes it, or why its body is not a payload we can read.

    The body is parsed with Bolt's own parser, so what is checked here is what Bolt will read.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "a body that is not UTF-8 text")
    normalized = build_normalized_headers(dict(headers))
    try:
        payload = parse_body(text, extract_content_type(normalized))
    except ValueError:
        return Refusal(400, "a body that does not parse as a Slack payload")
    problem = payload_problem(payload)
    if problem is not None:
        return Refusal(400, problem)
    try:  # Bolt reads the payload's context as it builds the request
        return AsyncBoltRequest(body=text, query=query, headers=normalized)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        return Refusal(400, f"a payload Bolt cannot read ({type(exc).__name__})")
