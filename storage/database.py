"""Engines, sessions and bringing a database schema up to date."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds a SQLite writer waits for another's transaction before "database is locked".
# Long imports commit at least every second (sources.ingest), so a short write gets in
# well within this; a longer wait would only hold a person's answer up.
SQLITE_BUSY_TIMEOUT = 10.0
# PostgreSQL's "lock not available", "deadlock detected" and "serialization failure".
_PG_BUSY_CODES = frozenset({"55P03", "40P01", "40001"})
_SQLITE_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another writer holds the lock": the store is busy
    for a moment, nothing is wrong with the data, and trying again may pass."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _PG_BUSY_CODES:
        return True
    return any(words in str(orig).lower() for words in _SQLITE_BUSY_WORDS)


async def retry_when_busy(
    write: Callable[[], Awaitable[T]], *, attempts: int = 3, pause: float = 0.25
) -> T:
    """Run ``write`` (one whole transaction), again after a pause while the store is busy.

    Only for short writes a person waits on; ``write`` must open its own transaction so
    that each try starts clean.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await write()
        except DBAPIError as exc:
            if not is_busy(exc) or attempt == attempts:
                raise
            log.info("the database is busy; trying again (%d of %d)", attempt + 1, attempts)
        await asyncio.sleep(pause * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


async def finish_transaction(write: Awaitable[T]) -> T:
    """Await ``write`` (one whole transaction) to its end even when the caller is cancelled.

    A transaction cut off half-way may keep SQLite's write lock until its connection is
    collected, and the writes that follow (marking messages already sent, say) then fail
    as "database is locked". The cancellation is passed on once the transaction is over.
    """
    task = asyncio.ensure_future(write)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        raise


def make_engine(async_url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine; SQLite gets foreign keys, WAL and a busy timeout."""
    if async_url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT})
    engine = create_async_engine(async_url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the bot) go on while a writer (ingest) holds a transaction.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _is_memory(dbapi_connection: Any) -> bool:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA database_list")
    rows = cursor.fetchall()
    cursor.close()
    return all(not row[2] for row in rows)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (no lazy reloads under asyncio)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _is_at(connection: Connection, revision: str) -> bool:
    if revision == "head":
        revision = ScriptDirectory.from_config(_alembic_config(connection)).get_current_head() or ""
    return MigrationContext.configure(connection).get_current_revision() == revision


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring an empty or older database to ``revision`` (the newest schema by default)."""
    async with engine.connect() as connection:
        if await connection.run_sync(_is_at, revision):
            return
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(_alembic_config(sync), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The Alembic revision the database is at, or None when it has none."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
