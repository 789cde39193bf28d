"""Settings, read from the environment or ``.env``; the names are a contract (see README)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.timezones import known_timezone

DEFAULT_DATABASE_URL = "sqlite:///pivotbot.db"
NO_SHARDS = "none"


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
    # Which gateway shards this replica runs: neither set, every shard (Discord says how many);
    # DISCORD_SHARD_IDS=none, no gateway at all (this replica still sends over REST).
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: str = ""

    host: str = "0.0.0.0"  # noqa: S104 - a server binds all interfaces unless told otherwise
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    default_timezone: str = "UTC"

    # Delivery pacing. Slack allows about one message per second per channel and caps
    # conversations.open per workspace; Discord allows 50 requests per second per bot, and a DM
    # costs two. The defaults stay well inside both.
    slack_send_rate_per_workspace: float = Field(default=1.0, gt=0)
    slack_send_rate_total: float = Field(default=20.0, gt=0)
    discord_send_rate_per_guild: float = Field(default=5.0, gt=0)
    discord_send_rate_total: float = Field(default=20.0, gt=0)
    delivery_concurrency: int = Field(default=16, ge=1, le=64)
    # How long a claimed delivery stays leased without word from its replica. A live replica
    # renews its leases; a dead one's deliveries go to the others once this passes.
    delivery_lease_seconds: float = Field(default=30.0, ge=1, le=3600)

    # The web pages: where `pivotbot serve` is reached from a browser (default
    # http://localhost:<PORT>), the key that signs their links (unset: one is made and kept in
    # the database, so every replica signs alike) and how many days a link works.
    public_url: str = ""
    web_link_secret: str | None = None
    web_link_days: int = Field(default=7, ge=1, le=366)

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        known = known_timezone(value)
        if known is None:
            raise ValueError(
                f"unknown timezone {value!r}; expected an IANA name like Europe/Berlin"
            )
        return known

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        """Links are this base plus a path, so a trailing slash would double up."""
        value = value.strip().rstrip("/")
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"expected an http(s) URL like https://pivot.example.org, not {value[:80]!r}"
            )
        if parts.query or parts.fragment:
            raise ValueError("expected a base URL without ?query or #fragment")
        return value

    @model_validator(mode="after")
    def _default_public_url(self) -> Settings:
        if not self.public_url:
            self.public_url = f"http://localhost:{self.port}"
        return self

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

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_id_list(cls, value: str) -> str:
        value = value.strip().lower()
        if value == NO_SHARDS:
            return value
        parts = [p.strip() for p in value.split(",") if p.strip()]
        bad = [p for p in parts if not p.isdigit()]
        if bad:
            raise ValueError(
                f"expected a comma list of shard numbers like 0,1 or none, not {bad[0]!r}"
            )
        return ",".join(parts)

    @model_validator(mode="after")
    def _shards_within_count(self) -> Settings:
        if self.discord_shard_ids in ("", NO_SHARDS):
            return self
        if self.discord_shard_count is None:
            raise ValueError(
                "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, e.g. DISCORD_SHARD_COUNT=2 with "
                "DISCORD_SHARD_IDS=0"
            )
        outside = [i for i in self.shard_ids or () if i >= self.discord_shard_count]
        if outside:
            raise ValueError(
                f"DISCORD_SHARD_IDS names shard {outside[0]}, but shards are numbered 0 to "
                f"{self.discord_shard_count - 1} (DISCORD_SHARD_COUNT={self.discord_shard_count})"
            )
        return self

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "discord_token",
        "discord_api_url",
        "discord_shard_count",
        "web_link_secret",
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
    def runs_gateway(self) -> bool:
        """False when DISCORD_SHARD_IDS=none: this replica sends over REST and receives nothing."""
        return self.discord_shard_ids != NO_SHARDS

    @property
    def shard_ids(self) -> tuple[int, ...] | None:
        """The shards this replica runs, or None for all of them."""
        if self.discord_shard_ids in ("", NO_SHARDS):
            return None
        return tuple(int(p) for p in self.discord_shard_ids.split(","))

    @property
    def guild_ids(self) -> tuple[int, ...]:
        parts = (p.strip() for p in self.discord_guild_ids.split(","))
        return tuple(int(p) for p in parts if p)
