"""The slack-bolt app: one workspace from ``SLACK_BOT_TOKEN``, or many through OAuth.

``process_before_response=True`` makes Bolt answer Slack as soon as a listener's acknowledging
part returns; our listeners acknowledge first and hand everything else to tracked background
tasks, which is what keeps the acknowledgement independent of the database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from adapters.slack_adapter.clients import SlackClients
from bot.config import Settings

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"
# The least the app needs: /pivot, posting, opening DMs, names and admin flags, channel lookups
# for `cohort channel` (public and private), and uploading charts and exports.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
)
OAUTH_STATE_SECONDS = 600
BOLT_READS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


@dataclass(frozen=True)
class SlackMode:
    """Which of the ways to run Slack the settings ask for."""

    socket: bool
    oauth: bool

    @classmethod
    def of(cls, settings: Settings) -> SlackMode:
        return cls(
            socket=bool(settings.slack_app_token),
            oauth=bool(settings.slack_client_id and settings.slack_client_secret),
        )


def authorization_url(api_url: str) -> str:
    """The browser's OAuth page on the same Slack as the Web API (GovSlack, a test fake)."""
    parts = urlsplit(api_url)
    if not parts.path.rstrip("/").endswith("/api"):
        return "https://slack.com/oauth/v2/authorize"
    base = parts.path.rstrip("/")[: -len("api")]
    return urlunsplit((parts.scheme, parts.netloc, base + "oauth/v2/authorize", "", ""))


def build_app(
    settings: Settings,
    clients: SlackClients,
    installations: AsyncSQLAlchemyInstallationStore | None,
    states: AsyncSQLAlchemyOAuthStateStore | None,
) -> AsyncApp:
    with _settings_only():
        return _build(settings, clients, installations, states)


def _build(
    settings: Settings,
    clients: SlackClients,
    installations: AsyncSQLAlchemyInstallationStore | None,
    states: AsyncSQLAlchemyOAuthStateStore | None,
) -> AsyncApp:
    oauth: AsyncOAuthSettings | None = None
    authorize: AsyncInstallationStoreAuthorize | None = None
    if SlackMode.of(settings).oauth:
        assert installations is not None
        assert states is not None
        if settings.slack_bot_token:
            log.warning("SLACK_BOT_TOKEN is ignored: with OAuth, tokens come from each install")
        oauth = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=list(BOT_SCOPES),
            user_scopes=[],
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            authorization_url=authorization_url(clients.api_url),
            installation_store=installations,
            state_store=states,
            state_expiration_seconds=OAUTH_STATE_SECONDS,
        )
        authorize = AsyncInstallationStoreAuthorize(
            logger=log,
            installation_store=installations,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            cache_enabled=True,  # auth.test once per token, not on every request
            client=clients.app_client,  # token rotation goes through SLACK_API_URL too
        )
    app = AsyncApp(
        name="pivotbot",
        signing_secret=settings.slack_signing_secret or "",
        # The service checks every signature before Bolt parses anything (request_checks);
        # Socket Mode needs none.
        request_verification_enabled=False,
        process_before_response=True,
        client=clients.app_client,
        oauth_settings=oauth,
        # Bolt takes an AsyncAuthorize object here (it checks for one first), though its
        # annotation names only a plain function.
        authorize=cast("Callable[..., Awaitable[AuthorizeResult]] | None", authorize),
    )
    app.error(_one_line)
    return app


async def _one_line(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """A request that Bolt or a listener failed on: one log line and a 400, not a traceback.

    Requests reach Bolt only once their signature and shape are checked, so this is a payload
    in a form nobody expected. The line says where it failed and leaves out the payload and
    the error's text, either of which may quote what a member wrote.
    """
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "unknown"
    kind = "command" if "command" in body else body.get("type")
    log.warning("Slack %s request not handled: %s at %s", kind, type(error).__name__, where)
    return BoltResponse(status=400, body="")


@contextlib.contextmanager
def _settings_only() -> Iterator[None]:
    """Build Bolt from our settings alone, with the SLACK_* variables it reads itself hidden.

    Bolt turns OAuth on by itself when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET exist in the
    environment, even empty (as an env file copied from .env.example leaves them), and then
    ignores SLACK_BOT_TOKEN. Our settings, which also read .env, treat empty as unset and are
    the one source of truth; Bolt must not second-guess them.
    """
    saved = {name: os.environ.pop(name) for name in BOLT_READS if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)
