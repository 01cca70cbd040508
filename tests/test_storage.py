"""The store on SQLite and PostgreSQL: migrations, exact decimals, dedupe, history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.settings import to_async_url
from core.types import RateQuote, StoryDraft
from storage.database import (
    chain_head,
    current_revision,
    make_engine,
    make_sessionmaker,
    shipped_head,
    upgrade_database,
)
from storage.models import RateRow, StoryRow
from storage.rates import add_rates, get_nearest_quote, list_newest_quotes, list_rate_history
from storage.stories import add_stories, count_stories, list_latest_stories
from tests.paths import head_revision


def _story(title: str, **kwargs: object) -> StoryDraft:
    return StoryDraft(title=title, text=kwargs.pop("text", f"Body of {title}."), **kwargs)  # type: ignore[arg-type]


async def test_upgrade_creates_every_table_and_is_idempotent(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert {"stories", "rates", "chats", "subscriptions", "deliveries", "source_state"} <= tables
    await upgrade_database(engine)  # a second run changes nothing and does not fail
    assert await current_revision(engine) == head_revision()


async def test_older_database_is_brought_up_to_date_without_losing_rows(database_url: str) -> None:
    engine = make_engine(to_async_url(database_url))
    try:
        await upgrade_database(engine, "0001")
        assert await current_revision(engine) == "0001"
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            await add_stories(session, [_story("Kept across upgrades")])
        await upgrade_database(engine)
        assert await current_revision(engine) == head_revision()
        async with sessions() as session:
            assert [s.title for s in await list_latest_stories(session)] == ["Kept across upgrades"]
    finally:
        await engine.dispose()


async def test_decimals_keep_every_digit(sessions: async_sessionmaker[AsyncSession]) -> None:
    exact = Decimal("12149.840000000123456789")
    quote = RateQuote("UZS", exact, Decimal("-0.000000001"), date(2026, 4, 3), "cbu")
    async with sessions() as session, session.begin():
        await add_rates(session, [quote])
    async with sessions() as session:
        row = (await session.execute(select(RateRow))).scalar_one()
    assert row.per_usd == exact
    assert row.change == Decimal("-0.000000001")


async def test_times_come_back_aware_in_utc(sessions: async_sessionmaker[AsyncSession]) -> None:
    almaty = timezone(timedelta(hours=5))
    published = datetime(2026, 11, 27, 9, 30, tzinfo=almaty)
    async with sessions() as session, session.begin():
        await add_stories(session, [_story("Timed", published=published)])
    async with sessions() as session:
        (story,) = await list_latest_stories(session)
    assert story.published == published
    assert story.published is not None and story.published.utcoffset() == timedelta(0)
    assert story.fetched.tzinfo is not None


async def test_naive_datetime_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(Exception, match="naive"):
        async with sessions() as session, session.begin():
            await add_stories(session, [_story("Naive", published=datetime(2026, 1, 1))])
    async with sessions() as session:
        assert await count_stories(session) == 0


async def test_add_stories_skips_same_url_and_same_content(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = [
        _story("Grain exports rise", url="https://example.org/a"),
        _story("Grain  EXPORTS rise"),  # same text, other case and spacing, no URL
        _story("New road to Osh", url="https://example.org/b"),
        _story("New road to Osh (updated)", url="https://example.org/b"),  # same URL in batch
    ]
    async with sessions() as session, session.begin():
        result = await add_stories(session, first)
    assert (result.added, result.duplicates) == (2, 2)
    async with sessions() as session, session.begin():
        again = await add_stories(session, first)
    assert (again.added, again.duplicates) == (0, 4)
    async with sessions() as session:
        assert await count_stories(session) == 2


async def test_url_is_unique_in_the_schema(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        session.add(StoryRow(url="https://x.org/1", title="a", source="t", content_hash="1"))
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            session.add(StoryRow(url="https://x.org/1", title="b", source="t", content_hash="2"))


async def test_latest_stories_newest_first_and_by_country(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    day = datetime(2026, 11, 20, tzinfo=UTC)
    drafts = [
        _story("Old KZ", published=day, countries=("KZ",)),
        _story("New KG", published=day + timedelta(days=2), countries=("KG", "KZ")),
        _story("Mid UZ", published=day + timedelta(days=1), countries=("UZ",)),
        _story("KZT not KZ", published=day + timedelta(days=3), countries=("TJ",)),
    ]
    async with sessions() as session, session.begin():
        await add_stories(session, drafts)
    async with sessions() as session:
        titles = [s.title for s in await list_latest_stories(session, limit=3)]
        kz = await list_latest_stories(session, country="kz")
    assert titles == ["KZT not KZ", "New KG", "Mid UZ"]
    assert [s.title for s in kz] == ["New KG", "Old KZ"]
    assert kz[0].countries == ("KG", "KZ")


async def test_rates_keep_history_and_update_republished_figures(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    day1, day2 = date(2026, 4, 1), date(2026, 4, 3)
    async with sessions() as session, session.begin():
        first = await add_rates(
            session,
            [
                RateQuote("KZT", Decimal("475.09"), None, day1, "nbk"),
                RateQuote("KZT", Decimal("472.31"), Decimal("-2.78"), day2, "nbk"),
                RateQuote("KZT", Decimal("471.00"), None, day2, "cbr"),
            ],
        )
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    async with sessions() as session, session.begin():
        second = await add_rates(
            session,
            [
                RateQuote("KZT", Decimal("472.31"), Decimal("-2.78"), day2, "nbk"),
                RateQuote("KZT", Decimal("471.50"), None, day2, "cbr"),
            ],
        )
    assert (second.added, second.updated, second.unchanged) == (0, 1, 1)
    async with sessions() as session:
        history = await list_rate_history(session, "KZT", day1)
        newest = await list_newest_quotes(session)
        between = await get_nearest_quote(session, "KZT", "nbk", date(2026, 4, 2), 7)
        after = await get_nearest_quote(session, "KZT", "nbk", date(2026, 4, 5), 7)
        too_far = await get_nearest_quote(session, "KZT", "nbk", date(2026, 4, 20), 7)
    assert [(q.as_of, q.source, q.per_usd) for q in history] == [
        (day1, "nbk", Decimal("475.09")),
        (day2, "cbr", Decimal("471.50")),
        (day2, "nbk", Decimal("472.31")),
    ]
    assert {(q.source, q.as_of) for q in newest} == {("nbk", day2), ("cbr", day2)}
    # Equal distance takes the earlier day; otherwise the closest; nothing beyond the window.
    assert between is not None and between.per_usd == Decimal("475.09")
    assert after is not None and after.per_usd == Decimal("472.31")
    assert too_far is None


def test_shipped_head_read_from_the_files_is_alembics_head() -> None:
    assert shipped_head() == head_revision()


def _migration(folder: Path, name: str, text: str) -> None:
    body = f'"""A migration."""\n\n{text}\n\n\ndef upgrade() -> None:\n    pass\n'
    (folder / name).write_text(body, encoding="utf-8")


def test_chain_head_finds_the_one_end_or_gives_up(tmp_path: Path) -> None:
    _migration(tmp_path, "a.py", 'revision: str = "0001"\ndown_revision: str | None = None')
    _migration(tmp_path, "b.py", "revision = '0002'\ndown_revision = '0001'")
    assert chain_head(tmp_path) == "0002"
    # Two files after 0001: branches, which Alembic must sort out.
    _migration(tmp_path, "c.py", 'revision: str = "0003"\ndown_revision: str | None = "0001"')
    assert chain_head(tmp_path) is None
    (tmp_path / "c.py").unlink()
    # A revision this reading does not understand (computed, not a literal).
    _migration(tmp_path, "d.py", 'revision = "00" + "04"\ndown_revision = "0002"')
    assert chain_head(tmp_path) is None
    assert chain_head(tmp_path / "missing") is None


async def test_a_database_at_head_is_not_handed_to_alembic(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("Alembic was asked to migrate a database already at head")

    monkeypatch.setattr(command, "upgrade", refuse)
    await upgrade_database(engine)
    assert await current_revision(engine) == head_revision()


async def test_an_empty_database_has_no_revision_and_is_migrated(database_url: str) -> None:
    engine = make_engine(to_async_url(database_url))
    try:
        assert await current_revision(engine) is None
        await upgrade_database(engine)
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()
