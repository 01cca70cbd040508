"""Storing fetched data: the same story from two outlets, rate upserts under concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.types import RateQuote, StoryDraft
from core.urls import canonical_url
from storage.database import _alembic_config, current_revision, upgrade_database
from storage.models import RateRow, StoryRow
from storage.rates import add_rates
from storage.stories import add_stories, list_latest_stories
from tests.paths import head_revision

NOON = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)


def story(title: str, source: str, url: str, when: datetime = NOON) -> StoryDraft:
    # The text names the link, so two outlets' copies never share a content hash.
    text = f"{title}. Details at {url}."
    return StoryDraft(title=title, text=text, url=url, published=when, source=source)


async def store(sessions: async_sessionmaker[AsyncSession], *drafts: StoryDraft) -> tuple[int, ...]:
    async with sessions() as session, session.begin():
        result = await add_stories(session, list(drafts), merge_similar=True)
    return result.added, result.duplicates, result.merged


async def test_the_same_story_from_two_outlets_is_kept_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = story(
        "Kazakhstan and Uzbekistan sign a water-sharing deal", "timesca", "https://a.example/1"
    )
    assert await store(sessions, first) == (1, 0, 0)
    # Another outlet, three hours later, punctuation and one word apart.
    second = story(
        "Kazakhstan and Uzbekistan sign water sharing deal",
        "eurasianet",
        "https://b.example/2",
        NOON + timedelta(hours=3),
    )
    assert await store(sessions, second) == (0, 0, 1)
    # Fetched again: already counted, not counted twice.
    assert await store(sessions, second) == (0, 1, 0)
    assert await store(sessions, first) == (0, 1, 0)
    async with sessions() as session:
        [kept] = await list_latest_stories(session)
        row = (await session.execute(select(StoryRow))).scalar_one()
    assert (kept.source, kept.outlets) == ("timesca", 2)
    assert row.also_reported == "eurasianet"
    # A third outlet makes three.
    third = story(
        "Kazakhstan and Uzbekistan sign a water-sharing deal!", "24kg", "https://c.example/3"
    )
    assert await store(sessions, third) == (0, 0, 1)
    async with sessions() as session:
        [kept] = await list_latest_stories(session)
    assert kept.outlets == 3


@pytest.mark.parametrize(
    ("title", "source", "hours"),
    [
        ("Kazakhstan and Uzbekistan sign a water-sharing deal", "eurasianet", 49),  # too late
        ("Kyrgyzstan and Tajikistan sign a border deal today", "eurasianet", 1),  # other news
        ("Kazakhstan and Uzbekistan sign a water-sharing deal", "timesca", 1),  # same outlet
    ],
)
async def test_different_news_stays_apart(
    sessions: async_sessionmaker[AsyncSession], title: str, source: str, hours: int
) -> None:
    first = story(
        "Kazakhstan and Uzbekistan sign a water-sharing deal", "timesca", "https://a.example/1"
    )
    other = story(title, source, "https://b.example/2", NOON + timedelta(hours=hours))
    await store(sessions, first)
    assert await store(sessions, other) == (1, 0, 0)
    async with sessions() as session:
        stories = await list_latest_stories(session)
    assert [s.outlets for s in stories] == [1, 1]


async def test_short_titles_are_never_merged(sessions: async_sessionmaker[AsyncSession]) -> None:
    await store(sessions, story("Weather", "timesca", "https://a.example/w"))
    assert await store(sessions, story("Weather", "kunuz", "https://b.example/w")) == (1, 0, 0)


async def test_tracking_parameters_do_not_make_a_new_story(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    base = "https://Kun.uz:443/news/2026/04/02/metro/"
    tracked = base + "?utm_source=telegram&utm_medium=social&fbclid=x&_ga=1&yclid=2#comments"
    first = StoryDraft("Tashkent metro extends its ring line", url=canonical_url(base), source="k")
    again = StoryDraft("Tashkent metro ring line extended", url=canonical_url(tracked), source="k")
    assert canonical_url(tracked) == "https://kun.uz/news/2026/04/02/metro"
    async with sessions() as session, session.begin():
        result = await add_stories(session, [first, again])
    assert (result.added, result.duplicates) == (1, 1)


def test_canonical_urls_drop_more_tracking_parameters() -> None:
    url = "http://example.kz:80/a/?id=5&_ga=2.1&mc_cid=x&gclsrc=aw&_hsenc=p&spm=1.2&id2=7"
    assert canonical_url(url) == "http://example.kz/a?id=5&id2=7"


def quotes(value: str, day: date = date(2026, 4, 3)) -> list[RateQuote]:
    return [
        RateQuote(code, Decimal(value) * n, None, day, "nbk")
        for n, code in enumerate(("KZT", "EUR", "RUB", "CNY", "UZS"), start=1)
    ]


async def test_concurrent_rate_upserts_never_collide(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    values = [f"47{n}.5" for n in range(8)]

    async def write(value: str) -> tuple[int, int, int]:
        async with sessions() as session, session.begin():
            result = await add_rates(session, quotes(value))
        return result.added, result.updated, result.unchanged

    results = await asyncio.gather(*(write(value) for value in values))
    # Every quote was inserted by exactly one writer; the others found it there.
    assert sum(added for added, _, _ in results) == 5
    assert all(added + updated + unchanged == 5 for added, updated, unchanged in results)
    async with sessions() as session:
        rows = (await session.execute(select(RateRow))).scalars().all()
    assert len(rows) == 5
    stored = {row.currency: row.per_usd for row in rows}
    # The last writer to commit wins, whole: all five figures come from one writer.
    winners = {value for value in values if stored["KZT"] == Decimal(value)}
    assert len(winners) == 1
    assert stored["UZS"] == Decimal(winners.pop()) * 5


async def test_upsert_counts_and_keeps_a_published_change(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    day = date(2026, 4, 3)
    first = [RateQuote("KZT", Decimal("472.31"), Decimal("-2.78"), day, "nbk")]
    async with sessions() as session, session.begin():
        assert (await add_rates(session, first)).added == 1
        again = await add_rates(session, first)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
        blank = [RateQuote("KZT", Decimal("472.31"), None, day, "nbk")]
        assert (await add_rates(session, blank)).unchanged == 1
        moved = [RateQuote("KZT", Decimal("471.00"), None, day, "nbk")]
        assert (await add_rates(session, moved)).updated == 1
    async with sessions() as session:
        row = (await session.execute(select(RateRow))).scalar_one()
    assert (row.per_usd, row.change) == (Decimal("471.00"), Decimal("-2.78"))


async def test_migration_0003_adds_outlets_and_goes_back(engine: AsyncEngine) -> None:
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session, session.begin():
        await add_stories(session, [story("Kept across the migration", "timesca", "https://a/1")])
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(_alembic_config(sync), "0002"))
    assert await current_revision(engine) == "0002"
    await upgrade_database(engine)
    assert await current_revision(engine) == head_revision()
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(StoryRow))
        [kept] = await list_latest_stories(session)
    assert count == 1 and kept.outlets == 1


async def test_a_story_stored_under_its_own_url_is_never_counted_twice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Two near-identical stories stored apart (a bulk import, no merging), then one of
    # them fetched again: it is a duplicate of itself, not one more outlet of the other.
    first = story("Kazakhstan and Uzbekistan sign a water-sharing deal", "timesca", "https://a/1")
    second = story("Kazakhstan and Uzbekistan sign water sharing deal", "eurasianet", "https://b/2")
    async with sessions() as session, session.begin():
        await add_stories(session, [first, second])
    assert await store(sessions, second) == (0, 1, 0)
    async with sessions() as session:
        stories = await list_latest_stories(session)
    assert [s.outlets for s in stories] == [1, 1]
