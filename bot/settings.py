"""Settings from the environment and an optional ``.env`` file."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES = ("en", "ru", "kk", "uz", "ky", "tg", "tk")
# The port webhook mode listens on when PORT is not set.
DEFAULT_PORT = 8080
# Telegram's rule for setWebhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Served beside the webhook on the same port: the webhook path cannot take them.
RESERVED_PATHS = ("/healthz", "/metrics")


class SettingsError(Exception):
    """A setting has a bad value; the message is one line naming it."""


class Settings(BaseSettings):
    """Every knob of the program, read from the environment (which beats ``.env``)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite:///newsbot.db"
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    timezone: str = "Asia/Almaty"
    default_language: str = "en"
    admin_ids: Annotated[tuple[int, ...], NoDecode] = Field(default=())
    sources_file: Path | None = None
    fetch_sources: bool = True
    send_digests: bool = True
    log_level: str = "INFO"
    # Webhook mode (`newsbot run --webhook`) and the /healthz and /metrics server.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # None: polling serves no HTTP at all; webhook mode then listens on DEFAULT_PORT.
    port: int | None = Field(default=None, ge=1, le=65535)
    host: str = "0.0.0.0"
    # Several processes of one bot share their limits here (bot.limits); a secret, as a
    # Redis URL may hold a password.
    redis_url: SecretStr | None = None

    @field_validator(
        "bot_token", "webhook_secret", "webhook_url", "port", "redis_url", mode="before"
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a port out of range
        except ValueError:
            raise ValueError("not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        if parts.path in ("", "/"):
            raise ValueError("needs a path, e.g. https://bot.example.com/tg/updates")
        if parts.path in RESERVED_PATHS:
            raise ValueError(f"{parts.path} is served for monitoring; pick another path")
        if parts.query or parts.fragment:
            raise ValueError("must not have a query or fragment")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            # The value itself is never echoed: it is a secret.
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        parts = urlsplit(value.get_secret_value().strip())
        # The URL itself is never echoed: it may hold a password.
        if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
            raise ValueError("must look like redis://127.0.0.1:6379/0 (or rediss://, unix://)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("host")
    @classmethod
    def _listen_host(cls, value: str) -> str:
        value = value.strip()
        if not value or any(c.isspace() for c in value):
            raise ValueError("must be a listen address such as 0.0.0.0, 127.0.0.1 or ::")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        to_async_url(value)  # raises ValueError with the reason
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}, use an IANA name like Asia/Almaty"
            ) from None
        return value

    @field_validator("default_language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be comma-separated numeric user ids, like 123,456")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("sources_file")
    @classmethod
    def _existing_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        upper = value.upper()
        if not isinstance(logging.getLevelName(upper), int):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return upper

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL: where Telegram's POSTs arrive ("" without a URL)."""
        return urlsplit(self.webhook_url).path if self.webhook_url else ""

    @property
    def listen_port(self) -> int:
        """The port the web server listens on: PORT, else DEFAULT_PORT."""
        return self.port if self.port is not None else DEFAULT_PORT

    @property
    def async_database_url(self) -> str:
        """The database URL with the async driver SQLAlchemy needs."""
        return to_async_url(self.database_url)


def to_async_url(url: str) -> str:
    """Map a plain SQLite or PostgreSQL URL to its async-driver form.

    Raises:
        ValueError: the URL is neither SQLite nor PostgreSQL.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("must look like sqlite:///newsbot.db or postgresql://user@host:5432/db")
    scheme = scheme.lower()
    if scheme in ("sqlite", "sqlite+aiosqlite"):
        return f"sqlite+aiosqlite://{rest}"
    if scheme in ("postgresql", "postgres", "postgresql+asyncpg", "postgresql+psycopg2"):
        return f"postgresql+asyncpg://{rest}"
    raise ValueError(f"unsupported database {scheme!r}: use sqlite:/// or postgresql://")


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one readable line.

    Raises:
        SettingsError: a value is bad; the message names the setting.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {reason}") from None
