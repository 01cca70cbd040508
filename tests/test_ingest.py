"""The ingest pipeline on both databases: whole files or nothing, hostile values, ordering."""

from __future__ import annotations

import asyncio
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.rates import pick_current
from core.types import StoryDraft
from sources import rate_gate
from sources.ingest import Ingestor, prepare_story
from storage.models import RateRow
from storage.rates import list_newest_quotes
from storage.stories import count_stories, list_latest_stories
from tests.paths import FIXTURES, RATES


async def test_a_failure_midway_leaves_nothing_of_the_file(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_add_rates(*_args: object) -> None:
        raise OperationalError("INSERT INTO rates", {}, Exception("disk I/O error"))

    # The page's stories are written first, then its rates fail: both must be gone.
    monkeypatch.setattr(rate_gate, "add_rates", broken_add_rates)
    report = await Ingestor(sessions).ingest_file(FIXTURES / "pages" / "en_page.txt")
    assert report.error is not None and "database refused it" in report.error
    assert report.stories_added == 0
    async with sessions() as session:
        assert await count_stories(session) == 0
        assert (await session.execute(select(RateRow))).first() is None


async def test_hostile_json_lines_values_are_refused_or_kept_safe(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    many = ", ".join(f'"{chr(65 + i // 26)}{chr(65 + i % 26)}"' for i in range(30))
    path = tmp_path / "hostile.jsonl"
    path.write_text(
        '{"title": "NUL in url", "url": "https://example.org/a\\u0000b"}\n'
        '{"title": "Script source", "source": "<script>alert(1)</script>"}\n'
        '{"title": "Long source", "source": "' + "s" * 500 + '"}\n'
        '{"title": "Too many countries", "countries": [' + many + "]}\n"
        '{"title": "Long url", "url": "https://example.org/' + "u" * 3000 + '"}\n'
        '{"title": "\\u0000Ctrl\\u0007 chars\\u001b in title", "text": "a\\u0000b"}\n',
        encoding="utf-8",
    )
    report = await Ingestor(sessions).ingest_file(path)
    assert report.ok, report.error
    assert report.stories_added == 3
    assert [p.split(": ")[0] for p in report.problems] == [
        "hostile.jsonl:1",
        "hostile.jsonl:4",
        "hostile.jsonl:5",
    ]
    async with sessions() as session:
        stories = {s.title: s for s in await list_latest_stories(session)}
    assert stories["Script source"].source == "<script>alert(1)</script>"  # escaped on output
    assert len(stories["Long source"].source) <= 64
    assert "Ctrl chars in title" in stories


async def test_links_differing_only_by_tracking_are_one_story(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = tmp_path / "links.jsonl"
    path.write_text(
        '{"title": "Osh airport gets a new terminal", "url": "https://n.example/osh?utm_source=a"}\n'
        '{"title": "New terminal for Osh airport", "url": "https://N.example/osh/#more"}\n',
        encoding="utf-8",
    )
    report = await Ingestor(sessions).ingest_file(path)
    assert (report.stories_added, report.stories_duplicate) == (1, 1)
    async with sessions() as session:
        (story,) = await list_latest_stories(session)
    assert story.url == "https://n.example/osh"


async def test_a_long_file_name_becomes_a_short_source(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = tmp_path / ("feed-" + "x" * 150 + ".xml")
    shutil.copy(FIXTURES / "feeds" / "rss2_cdata.xml", path)
    report = await Ingestor(sessions).ingest_file(path)
    assert report.ok, report.error
    assert report.stories_added > 0


async def test_nbkr_weekly_waits_for_the_daily_file_in_the_same_run(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    weekly, daily = RATES / "nbkr_weekly.xml", RATES / "nbkr_daily.xml"
    reports = await Ingestor(sessions).ingest_paths([weekly, daily])
    assert [r.path for r in reports] == [str(weekly), str(daily)]  # reported in given order
    assert all(r.ok for r in reports), [r.error for r in reports]
    async with sessions() as session:
        current = pick_current(await list_newest_quotes(session))
    # KGS per USD 87.45 (daily) over KGS per TJS from the weekly table.
    tjs = current["TJS"]
    assert tjs.source == "nbkr"
    assert current["KGS"].per_usd == Decimal("87.45")


async def test_nbkr_weekly_alone_is_refused_with_a_reason(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    report = await Ingestor(sessions).ingest_file(RATES / "nbkr_weekly.xml")
    assert report.error is not None and "daily.xml" in report.error


async def test_every_feed_fixture_either_imports_or_says_why(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    feeds = sorted((FIXTURES / "feeds").iterdir())
    reports = await Ingestor(sessions).ingest_paths(feeds)
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name["entity_bomb.xml"].error is not None
    for name in ("atom.xml", "rdf.xml", "rss2_cdata.xml", "rss_cp1251.xml", "no_dates.xml"):
        assert by_name[name].ok and by_name[name].stories_added > 0, name
        assert by_name[name].kind == "feed"


def test_prepare_story_keeps_given_codes_first_and_canonicalises_the_url() -> None:
    draft = StoryDraft(
        title="Bishkek and Almaty sign a deal",
        countries=("UZ",),
        url="HTTPS://News.Example/deal/?utm_source=telegram#top",
    )
    prepared = prepare_story(draft)
    assert prepared.countries == ("UZ", "KG", "KZ")
    assert prepared.url == "https://news.example/deal"
    plain = StoryDraft(title="Новости из Душанбе")
    assert prepare_story(plain).countries == ("TJ",)


async def test_two_imports_of_the_same_file_at_once_store_it_once(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = tmp_path / "same.jsonl"
    path.write_text(
        "".join(f'{{"title": "Story number {n} from Bishkek"}}\n' for n in range(3000)),
        encoding="utf-8",
    )
    first, second = await asyncio.gather(
        Ingestor(sessions).ingest_file(path), Ingestor(sessions).ingest_file(path)
    )
    assert first.ok and second.ok, (first.error, second.error)
    assert first.stories_added + second.stories_added == 3000
    assert first.stories_added + first.stories_duplicate == 3000
    async with sessions() as session:
        assert await count_stories(session) == 3000
