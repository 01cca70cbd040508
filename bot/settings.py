"""Settings from the environment and an optional ``.env`` file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES = ("en", "ru", "kk", "uz", "ky", "tg", "tk")


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

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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
