"""Settings, read from the environment or ``.env``; the names are a contract (see README)."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.timezones import known_timezone

DEFAULT_DATABASE_URL = "sqlite:///pivotbot.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = DEFAULT_DATABASE_URL

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"

    discord_token: str | None = None
    discord_guild_ids: str = ""
    discord_api_url: str | None = None

    host: str = "0.0.0.0"  # noqa: S104 - a server binds all interfaces unless told otherwise
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = "INFO"
    default_timezone: str = "UTC"

    # Delivery pacing. Slack allows about one message per second per channel and caps
    # conversations.open per workspace; Discord allows 50 requests per second per bot, and a DM
    # costs two. The defaults stay well inside both.
    slack_send_rate_per_workspace: float = Field(default=1.0, gt=0)
    slack_send_rate_total: float = Field(default=20.0, gt=0)
    discord_send_rate_per_guild: float = Field(default=5.0, gt=0)
    discord_send_rate_total: float = Field(default=20.0, gt=0)
    delivery_concurrency: int = Field(default=16, ge=1, le=64)

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        known = known_timezone(value)
        if known is None:
            raise ValueError(
                f"unknown timezone {value!r}; expected an IANA name like Europe/Berlin"
            )
        return known

    @field_validator("discord_guild_ids")
    @classmethod
    def _guild_id_list(cls, value: str) -> str:
        """Checked at start, so a typo stops the bot with the setting's name, not mid-sync."""
        parts = [p.strip() for p in value.split(",") if p.strip()]
        bad = [p for p in parts if not p.isdigit()]
        if bad:
            raise ValueError(
                f"expected a comma list of Discord server ids like 123456789012345678, "
                f"not {bad[0]!r}"
            )
        return ",".join(parts)

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "discord_token",
        "discord_api_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """An empty line in .env means "not configured", not "configured as empty"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def slack_configured(self) -> bool:
        """HTTP mode needs the signing secret; Socket Mode needs the app-level token instead."""
        oauth = bool(self.slack_client_id and self.slack_client_secret)
        has_tokens = bool(self.slack_bot_token or oauth)
        return has_tokens and bool(self.slack_signing_secret or self.slack_app_token)

    @property
    def discord_configured(self) -> bool:
        return bool(self.discord_token)

    @property
    def guild_ids(self) -> tuple[int, ...]:
        parts = (p.strip() for p in self.discord_guild_ids.split(","))
        return tuple(int(p) for p in parts if p)
