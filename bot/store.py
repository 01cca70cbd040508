"""Opening the store the settings point at, brought up to date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from storage.database import make_engine, make_sessionmaker, upgrade_database


class StoreUnavailable(Exception):
    """The database cannot be opened or migrated; the message is one line."""


def _check_sqlite_folder(async_url: str) -> None:
    # Said up front: a failed SQLite connect leaves aiosqlite's worker thread talking
    # to an event loop that is already gone, and the reason reads worse.
    url = make_url(async_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    folder = Path(url.database).expanduser().resolve().parent
    if not folder.is_dir():
        raise StoreUnavailable(f"DATABASE_URL: no such folder for the SQLite file: {folder}")


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Yield a session factory for an up-to-date database; dispose of the engine after."""
    _check_sqlite_folder(settings.async_database_url)
    engine = make_engine(settings.async_database_url)
    try:
        try:
            await upgrade_database(engine)
        except (SQLAlchemyError, OSError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise StoreUnavailable(f"DATABASE_URL: cannot open the database: {reason}") from None
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()
