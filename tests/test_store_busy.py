"""A busy or broken store: short writes retry, a locked SQLite file is nobody's fault but
ours, and a failed preferences step stops the update with one apology.

Locks are real: a second sqlite3 connection holds the write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import storage.database
from bot.settings import to_async_url
from sources.catalog import SourceSpec
from sources.fetcher import BUSY_RETRY, Fetcher
from sources.transport import FetchConfig, make_client
from storage.database import make_engine, make_sessionmaker, upgrade_database
from storage.models import ChatRow
from storage.source_state import get_source_state, save_source_failure
from tests.bot_bench import Bench, running_bot
from tests.fetch_server import Route, serve

NOW = datetime(2026, 4, 3, 6, 0, tzinfo=UTC)
FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    b"<item><title>Bishkek opens a new bus line across the city</title>"
    b"<link>https://a.example/bus</link></item></channel></rss>"
)
SORRY = "Sorry, something went wrong on my side. Please try again."


def sqlite_file(database_url: str) -> Path:
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file lock")
    return Path(database_url.split("///", 1)[1])


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    # Seconds, not ten: each locked write in these tests gives up quickly.
    monkeypatch.setattr(storage.database, "SQLITE_BUSY_TIMEOUT", 0.2)


class WriteLock:
    """Another process's writer: holds SQLite's write lock until released."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.connection.execute("COMMIT")
            self.held = False

    def close(self) -> None:
        self.release()
        self.connection.close()


@pytest.fixture
def write_lock(database_url: str) -> Iterator[WriteLock]:
    lock = WriteLock(sqlite_file(database_url))
    try:
        yield lock
    finally:
        lock.close()


async def chat_rows(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(ChatRow))).scalar_one())


@pytest.mark.usefixtures("short_busy_timeout")
async def test_a_held_lock_stops_the_update_with_one_apology(
    database_url: str, sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_file(database_url)
    async with running_bot(database_url, sessions) as bench:
        lock = WriteLock(sqlite_file(database_url))
        try:
            replies = await bench.chat.send("/subscribe")
        finally:
            lock.close()
        # Only the apology: /subscribe's own handler never ran on a chat that is not stored.
        assert [m.text for m in replies] == [SORRY]
        assert not [r for r in caplog.records if "FOREIGN KEY" in r.getMessage()]
        # Once the lock is gone, the same person is served.
        replies = await bench.chat.send("/subscribe")
        assert replies and SORRY not in [m.text for m in replies]
    assert await chat_rows(sessions) == 1


@pytest.mark.usefixtures("short_busy_timeout")
async def test_a_short_lock_is_waited_out(
    database_url: str, sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_file(database_url)
    caplog.set_level(logging.INFO, logger="storage.database")
    async with running_bot(database_url, sessions) as bench:
        lock = WriteLock(sqlite_file(database_url))
        # The other writer finishes as soon as the first try has been refused.
        releaser = _ReleaseOnRetry(lock)
        logging.getLogger("storage.database").addHandler(releaser)
        try:
            replies = await bench.chat.send("/help")
        finally:
            logging.getLogger("storage.database").removeHandler(releaser)
            lock.close()
    assert releaser.retries == 1
    assert replies and SORRY not in [m.text for m in replies]
    assert await chat_rows(sessions) == 1


class _ReleaseOnRetry(logging.Handler):
    def __init__(self, lock: WriteLock) -> None:
        super().__init__(logging.INFO)
        self.writer = lock  # not "lock": logging.Handler has one of its own
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "trying again" in record.getMessage():
            self.retries += 1
            self.writer.release()


async def test_a_store_that_is_down_stops_the_update_with_one_apology(
    bench: Bench, tmp_path: Path
) -> None:
    # The store goes away under the running bot (a folder that does not exist).
    gone = make_engine(to_async_url(f"sqlite:///{tmp_path / 'gone' / 'x.db'}"))
    services = bench.app.bot_data
    services._sessions = make_sessionmaker(gone)
    # The services were given the store's session factory when the bot started.
    services.chats._sessions = services.subscriptions._sessions = services._sessions
    try:
        replies = await bench.chat.send("/subscribe")
    finally:
        await gone.dispose()
    assert [m.text for m in replies] == [SORRY]


@pytest.mark.usefixtures("short_busy_timeout")
async def test_a_locked_store_is_not_the_source_s_failure(
    database_url: str, write_lock: WriteLock
) -> None:
    engine = make_engine(to_async_url(database_url))
    sessions = make_sessionmaker(engine)
    spec = SourceSpec("bus", "feed", "", "en", ("KG",), timedelta(minutes=15))
    try:
        write_lock.release()
        await upgrade_database(engine)
        async with sessions() as session, session.begin():  # one failure already counted
            await save_source_failure(
                session, "bus", when=NOW - timedelta(hours=1), reason="HTTP 503", next_fetch=NOW
            )
        write_lock.connection.execute("BEGIN IMMEDIATE")
        write_lock.held = True
        with serve({"/feed": Route(body=FEED)}) as web:
            spec = SourceSpec("bus", "feed", web.url("/feed"), "en", ("KG",), spec.every)
            async with make_client(FetchConfig(attempts=1)) as client:
                report = await Fetcher(sessions, client, clock=lambda: NOW).fetch_source(spec)
        write_lock.release()
        async with sessions() as session:
            state = await get_source_state(session, "bus")
    finally:
        await engine.dispose()
    assert report.outcome == "failed" and "our database was busy" in (report.error or "")
    assert report.next_fetch == NOW + BUSY_RETRY
    # The source's record is as it was: one failure (the 503), not two.
    assert state is not None
    assert (state.consecutive_failures, state.last_error_reason) == (1, "HTTP 503")
