"""Long JSON Lines imports commit batch by batch, so other writers get their turns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from sources import ingest
from sources.ingest import Ingestor, _BatchSizer
from storage.stories import add_stories, count_stories

LINES = 600


def jsonl(tmp_path: Path, lines: int = LINES) -> Path:
    path = tmp_path / "long.jsonl"
    path.write_text(
        "".join(
            f'{{"title": "Story {n}: Osh market reopens after the floods", '
            f'"url": "https://news.example/{n}"}}\n'
            for n in range(lines)
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def batches_of_50(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fixed, however long each write takes on a loaded machine.
    for name in ("FIRST_BATCH", "MIN_BATCH", "MAX_BATCH"):
        monkeypatch.setattr(ingest, name, 50)


@pytest.mark.usefixtures("batches_of_50")
async def test_a_long_file_commits_in_batches(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    commits: list[int] = []
    listener = lambda _connection: commits.append(1)  # noqa: E731
    event.listen(engine.sync_engine, "commit", listener)
    try:
        report = await Ingestor(sessions).ingest_file(jsonl(tmp_path))
    finally:
        event.remove(engine.sync_engine, "commit", listener)
    assert report.ok and report.stories_added == LINES
    assert len(commits) == LINES // 50
    async with sessions() as session:
        assert await count_stories(session) == LINES


@pytest.mark.usefixtures("batches_of_50")
async def test_another_writer_gets_in_between_batches(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's one writer at a time")
    # Another process's writer that will not wait at all (timeout 0): it fails at once
    # whenever the import holds the lock.
    other = sqlite3.connect(database_url.split("///", 1)[1], timeout=0, isolation_level=None)
    wrote: list[float] = []

    def between_batches(done: int, _total: int) -> None:
        other.execute(
            "INSERT INTO chats (id, kind, created) VALUES (?, 'private', '2026-01-01')",
            (len(wrote) + 1,),
        )
        wrote.append(done)

    try:
        report = await Ingestor(sessions).ingest_file(jsonl(tmp_path), between_batches)
    finally:
        other.close()
    assert report.ok and report.stories_added == LINES
    assert len(wrote) >= LINES // 50


@pytest.mark.usefixtures("batches_of_50")
async def test_a_failure_midway_keeps_the_batches_before_it(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0

    async def fails_on_the_fourth(session: AsyncSession, drafts: list[object]) -> object:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise OperationalError("INSERT INTO stories", {}, Exception("disk I/O error"))
        return await add_stories(session, drafts)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "add_stories", fails_on_the_fourth)
    report = await Ingestor(sessions).ingest_file(jsonl(tmp_path))
    assert report.error == (
        "the database refused it: disk I/O error (the 150 stories read before it are stored)"
    )
    assert report.stories_added == 150
    async with sessions() as session:
        assert await count_stories(session) == 150


@pytest.mark.usefixtures("batches_of_50")
async def test_a_busy_batch_is_written_again(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0

    async def busy_once(session: AsyncSession, drafts: list[object]) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return await add_stories(session, drafts)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "add_stories", busy_once)
    report = await Ingestor(sessions).ingest_file(jsonl(tmp_path))
    assert report.ok and report.stories_added == LINES
    assert calls == LINES // 50 + 1


def test_batch_size_aims_at_half_a_second() -> None:
    sizer = _BatchSizer()
    assert sizer.size == ingest.FIRST_BATCH
    sizer.observe(200, 0.05)  # fast: grows, at most doubling
    assert sizer.size == 400
    sizer.observe(400, 2.0)  # slow: shrinks to what fits in half a second
    assert sizer.size == 100
    sizer.observe(100, 100.0)
    assert sizer.size == ingest.MIN_BATCH
    for _ in range(10):
        sizer.observe(sizer.size, 0.001)
    assert sizer.size == ingest.MAX_BATCH
