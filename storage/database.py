"""Engines, sessions and bringing a database schema up to date."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# Alembic's own table and the lines that name a migration file's place in the chain.
VERSION_TABLE = "alembic_version"
_CHAIN_LINE = re.compile(
    r"""^(?P<key>revision|down_revision)\s*(?::[^=]*)?=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|None)\s*(?:#.*)?$""",
    re.MULTILINE,
)
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def shipped_head() -> str | None:
    """The newest revision in ``storage/migrations/versions`` (see ``chain_head``).

    Why not Alembic's ``ScriptDirectory``: importing Alembic and loading every migration
    script takes a few hundred milliseconds, which every cron ``run-due`` would pay just
    to learn that the schema is already up to date.
    """
    return chain_head(MIGRATIONS / "versions")


def chain_head(folder: Path) -> str | None:
    """The end of the chain of migration files in ``folder``, read from their
    ``revision`` and ``down_revision`` lines; None when that is not one clear end (a file
    without a readable revision, branches): then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        found = {
            match["key"]: match["dq"] if match["dq"] is not None else match["sq"]
            for match in _CHAIN_LINE.finditer(path.read_text(encoding="utf-8"))
        }
        if not found.get("revision"):
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database (Alembic's table), None when it has none."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    stored = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return stored[0] if len(stored) == 1 else None


def _is_at(connection: Connection, revision: str) -> bool:
    if revision == "head":
        revision = shipped_head() or _alembic_head(connection)
    return _stored_revision(connection) == revision


def _alembic_head(connection: Connection) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(connection)).get_current_head() or ""


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring an empty or older database to ``revision`` (the newest schema by default).

    A database already there costs one query and no Alembic import (``shipped_head``).
    """
    async with engine.connect() as connection:
        if await connection.run_sync(_is_at, revision):
            return
    from alembic import command  # only when there is something to migrate

    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(_alembic_config(sync), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The Alembic revision the database is at, or None when it has none."""
    async with engine.connect() as connection:
        return await connection.run_sync(_stored_revision)
