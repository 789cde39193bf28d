"""Which bot token speaks for a workspace: the one from the settings, or its installation's."""

from __future__ import annotations

from typing import Protocol

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import desc, select


class BotTokens(Protocol):
    async def for_team(self, team_id: str) -> str | None:
        """The bot token for this workspace, or None when the app is not installed there."""
        ...


class SettingsToken:
    """One workspace: ``SLACK_BOT_TOKEN`` speaks for it."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def for_team(self, team_id: str) -> str | None:
        del team_id
        return self._token


class InstalledTokens:
    """Many workspaces: each one's latest bot token, read at every use so a revoked token is
    never used again.

    Looked up by team alone, so a workspace inside an Enterprise Grid org is found as well.
    """

    def __init__(self, store: AsyncSQLAlchemyInstallationStore) -> None:
        self._store = store

    async def for_team(self, team_id: str) -> str | None:
        bots = self._store.bots.c
        query = (
            select(bots.bot_token)
            .where(
                bots.client_id == self._store.client_id,
                bots.team_id == team_id,
                bots.bot_token.is_not(None),
            )
            .order_by(desc(bots.installed_at))
            .limit(1)
        )
        async with self._store.engine.connect() as connection:
            token = await connection.scalar(query)
        return str(token) if token else None
