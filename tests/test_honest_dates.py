"""Stories without a believable date read as undated everywhere and rank after recent news."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.dates import believable_published, rank_moment
from core.types import Story, StoryDraft
from locales import use_language
from sources.ingest import Ingestor, prepare_story
from storage.models import StoryRow
from storage.stories import fingerprint, list_latest_stories
from tests.bot_bench import TODAY, only, running_bot
from views.cli_text import story_json
from views.digest import render_section
from views.digest_layout import DigestSection

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("published", "kept"),
    [
        (datetime(1970, 1, 1, tzinfo=UTC), False),
        (datetime(1990, 12, 31, 23, 59, tzinfo=UTC), False),
        (datetime(2100, 1, 1, tzinfo=UTC), False),
        (NOW + timedelta(days=1), False),
        (NOW + timedelta(hours=10), True),  # local time sent without an offset
        (datetime(2017, 3, 1, tzinfo=UTC), True),
        (None, False),
    ],
)
def test_dates_before_1991_or_beyond_tomorrow_are_dropped(
    published: datetime | None, kept: bool
) -> None:
    assert (believable_published(published, NOW) == published) is kept or published is None
    draft = prepare_story(StoryDraft("Astana hosts a summit", published=published), NOW)
    assert draft.published == (published if kept else None)


def test_an_undated_story_sorts_three_days_before_its_fetch() -> None:
    assert rank_moment(None, NOW) == NOW - timedelta(days=3)
    assert rank_moment(NOW - timedelta(days=9), NOW) == NOW - timedelta(days=9)


async def test_jsonl_dates_in_1970_and_2100_are_stored_as_undated(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = tmp_path / "odd-dates.jsonl"
    lines = [
        {"title": "Epoch zero headline from Bishkek", "published": "1970-01-01T00:00:00Z"},
        {"title": "Headline from the far future", "published": "2100-01-01T00:00:00Z"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = await Ingestor(sessions).ingest_file(path)
    assert report.ok and report.stories_added == 2
    async with sessions() as session:
        assert [s.published for s in await list_latest_stories(session)] == [None, None]


async def _store_three(sessions: async_sessionmaker[AsyncSession]) -> None:
    rows = [
        ("Tokayev met farmers in Kostanay yesterday", TODAY - timedelta(hours=20), TODAY),
        ("Archive headline from 2017 about Astana", None, TODAY - timedelta(hours=1)),
        ("Bishkek opened a skating rink last week", TODAY - timedelta(days=8), TODAY),
    ]
    async with sessions() as session, session.begin():
        for number, (title, published, fetched) in enumerate(rows):
            session.add(
                StoryRow(
                    url=f"https://news.example/{number}",
                    title=title,
                    published=published,
                    fetched=fetched,
                    source="news.example",
                    countries="KZ" if number < 2 else "KG",
                    content_hash=fingerprint(title, ""),
                )
            )


@pytest.mark.parametrize(("lang", "undated", "dated"), [("en", "undated", "Nov 27, 2026")])
async def test_news_country_and_inline_say_undated_and_rank_it_after_recent_news(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    lang: str,
    undated: str,
    dated: str,
) -> None:
    await _store_three(sessions)
    async with running_bot(database_url, sessions, demo=False, language_code=lang) as bench:
        news = only(await bench.chat.send("/news"))
        lines = news.text.split("\n")
        titles = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
        assert [t.split(" ", 1)[1][:8] for t in titles] == ["Tokayev ", "Archive ", "Bishkek "]
        archive_meta = lines[lines.index(titles[1]) + 1]
        assert undated in archive_meta and "2026" not in archive_meta
        assert dated in lines[lines.index(titles[0]) + 1]
        country = only(await bench.chat.send("/country Kazakhstan"))
        assert undated in country.text
        results = await bench.chat.inline("archive headline")
        assert any(undated in (r.get("description") or "") for r in results)


async def test_russian_reader_sees_undated_in_russian(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _store_three(sessions)
    async with running_bot(database_url, sessions, demo=False, language_code="ru") as bench:
        news = only(await bench.chat.send("/news"))
        assert "без даты" in news.text


def test_digest_and_json_mark_an_undated_story() -> None:
    story = Story(7, "Archive <b>headline</b>", "", "", None, None, NOW, "en", "a", ("KZ",))
    use_language("en")
    assert "(undated)" in render_section(DigestSection("KZ", (story,)))
    assert story_json(story, UTC)["published"] is None
