"""Shared fixtures: a fresh SQLite file and a fresh PostgreSQL schema for every test."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.settings import to_async_url
from storage.database import make_engine, make_sessionmaker, upgrade_database

if TYPE_CHECKING:
    from tests.bot_bench import Bench

# Settings read the environment: keep the developer's own from leaking into tests.
for _name in (
    "BOT_TOKEN",
    "DATABASE_URL",
    "TIMEZONE",
    "DEFAULT_LANGUAGE",
    "ADMIN_IDS",
    "SOURCES_FILE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "REDIS_URL",
    "PORT",
    "HOST",
):
    os.environ.pop(_name, None)


# Test modules that start processes of their own (`newsbot` subprocesses, several instances,
# the emulator over HTTP beside them): marked `slow` here, in one place, so that
# `python3 dev.py test --fast` (pytest -m "not slow") leaves them out. The full run keeps them.
SLOW_MODULES = frozenset(
    {
        "test_alerts_instances",
        "test_bot_logs",
        "test_chat_cli",
        "test_cli",
        "test_digest_cli",
        "test_digest_run",
        "test_emulator_http",
        "test_follow_cli",
        "test_instances_digests",
        "test_instances_run_due",
        "test_instances_webhook",
        "test_leases",
        "test_notices_run",
        "test_run_fetches",
        "test_webhook",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of the modules in SLOW_MODULES as `slow`."""
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def _admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run")
    return url


async def _run_admin(url: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
def httpx_level() -> Iterator[None]:
    """run_bot quiets the httpx logger; put it back for the tests after this one."""
    logger = logging.getLogger("httpx")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of our own on the test server for the whole run, dropped at the end."""
    admin = _admin_url()
    if admin is None:
        yield None
        return
    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_run_admin(admin, f'CREATE DATABASE "{name}"'))
    base, _, _ = admin.rpartition("/")
    yield f"{base}/{name}"
    asyncio.run(_run_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None) -> str:
    """A plain database URL (as DATABASE_URL takes it) to an empty database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    if postgres_url is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    asyncio.run(
        _run_admin(postgres_url, "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public")
    )
    return postgres_url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on an up-to-date, empty database."""
    engine = make_engine(to_async_url(database_url))
    await upgrade_database(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory on the test database."""
    return make_sessionmaker(engine)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> str:
    """Point the CLI at the test database from a clean working directory."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    return database_url


@pytest.fixture
async def bench(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Bench]:
    """The bot on the emulator with the demo data, one person (Aida) in a private chat."""
    # Imported here: tests of pure code should not pay for starting python-telegram-bot.
    from tests.bot_bench import running_bot

    async with running_bot(database_url, sessions) as running:
        yield running


def _redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """TEST_REDIS_URL (default: the local Redis's database 15); tests using it skip when no
    Redis answers, except in CI, where they must run."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not _redis_answers(url):
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true but no Redis answers at TEST_REDIS_URL ({url})")
        pytest.skip("no Redis answers at TEST_REDIS_URL")
    return url
