"""Pages of the newest stories: the index-order read and the database's own ranking agree."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import storage.stories
from core.dates import rank_moment
from storage.models import StoryRow
from storage.stories import fingerprint, first_editions, list_latest_stories, newest_rows

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def _store_mixed(sessions: async_sessionmaker[AsyncSession]) -> list[StoryRow]:
    """60 first editions (dated, undated, equal dates), 10 editions, across countries."""
    rng = random.Random(7)
    rows: list[StoryRow] = []
    async with sessions() as session, session.begin():
        for number in range(60):
            dated = number % 4 != 0
            published = NOW - timedelta(hours=rng.choice([1, 5, 5, 30, 80, 200])) if dated else None
            row = StoryRow(
                url=f"https://pages.example/{number}",
                title=f"Story number {number} about the region",
                published=published,
                fetched=NOW - timedelta(hours=rng.choice([0, 2, 50, 100])),
                source="pages.example",
                countries=rng.choice(["KZ", "KG", "KZ,UZ", "UZ,KZ", "TJ", ""]),
                content_hash=fingerprint(f"story {number}", ""),
            )
            session.add(row)
            rows.append(row)
        await session.flush()
        for number, first in enumerate(rows[:10]):
            session.add(
                StoryRow(
                    url=f"https://pages.example/kk/{number}",
                    title=f"Kazakh edition {number}",
                    published=first.published,
                    fetched=first.fetched,
                    source="pages.example",
                    countries=first.countries,
                    content_hash=fingerprint(f"edition {number}", ""),
                    edition_of=first.id,
                )
            )
    return rows


def _expected(rows: list[StoryRow], country: str | None) -> list[int]:
    kept = [r for r in rows if country is None or country in r.countries.split(",")]
    kept.sort(key=lambda r: (rank_moment(r.published, r.fetched), r.id), reverse=True)
    return [r.id for r in kept]


@pytest.mark.parametrize("country", [None, "KZ", "UZ", "TM"])
async def test_every_page_follows_the_rank_moment_on_both_paths(
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    country: str | None,
) -> None:
    rows = await _store_mixed(sessions)
    expected = _expected(rows, country)
    for deep in (False, True):
        # The database ranks every row itself once a page is deep enough: force it.
        monkeypatch.setattr(storage.stories, "_MERGED_PAGE_ROWS", 0 if deep else 1_000)
        shown: list[int] = []
        async with sessions() as session:
            for offset in range(0, 70, 5):
                page = await list_latest_stories(session, country=country, limit=5, offset=offset)
                shown += [story.id for story in page]
        assert shown == expected, f"deep={deep}"
    async with sessions() as session:
        first = (await list_latest_stories(session, limit=60))[: len(expected)]
    editions = {story.id: story.editions for story in first}
    # Editions ride along with their first edition on the merged path too.
    assert all(len(editions[row.id]) == 1 for row in rows[:10] if row.id in editions)


async def test_a_page_is_read_through_the_index_not_a_sort_of_every_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    if sessions.kw["bind"].dialect.name != "sqlite":
        pytest.skip("the query plan is read in SQLite's words")
    await _store_mixed(sessions)
    statement = newest_rows(first_editions("KZ"), 6)
    sql = str(
        statement.compile(sessions.kw["bind"].sync_engine, compile_kwargs={"literal_binds": True})
    )
    async with sessions() as session:
        plan = " ".join(
            str(row[-1]) for row in await session.execute(text("EXPLAIN QUERY PLAN " + sql))
        )
    assert "ix_stories_edition_published (edition_of=? AND published>?)" in plan
    # Only the undated stories (few) are sorted; the dated come in the index's order.
    assert plan.count("TEMP B-TREE") == 1
