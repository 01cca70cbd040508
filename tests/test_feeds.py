"""RSS 2.0, Atom and RDF feeds, and the ways they go wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.feeds import MAX_FEED_BYTES, FeedError, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def _read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss2_titles_cdata_html_and_content() -> None:
    result = parse_feed(_read("rss2_cdata.xml"), source="ledger")
    assert result.title == "Steppe Ledger"
    titles = [story.title for story in result.stories]
    assert titles == [
        "Inflation < 9% for the First Time Since Spring",
        "Tea Exports Climb Again",
        "Mountain Road Reopens After Repairs",
    ]
    first = result.stories[0]
    assert first.text == (
        "Prices in the capital rose slower than expected in November.\n\n"
        "Bread and tea got cheaper, the statistics office said."
    )
    assert first.summary == "Prices rose slower than expected & the bakers are pleased."
    assert "trackReader" not in first.summary
    assert "color" not in first.text
    assert first.url == "https://steppe-ledger.example/news/inflation-below-nine"
    assert first.source == "ledger"
    assert first.lang == "en"


def test_rss2_dates_are_aware_utc() -> None:
    stories = parse_feed(_read("rss2_cdata.xml")).stories
    assert stories[0].published == datetime(2025, 12, 11, 4, 30, tzinfo=UTC)
    assert stories[1].published == datetime(2025, 12, 10, 18, 0, tzinfo=UTC)
    assert all(s.published is not None and s.published.utcoffset() is not None for s in stories)


def test_rss2_without_content_uses_the_description_as_text() -> None:
    tea = parse_feed(_read("rss2_cdata.xml")).stories[1]
    assert tea.text == "Growers shipped more boxes abroad.\n\nBuyers asked for green tea."


def test_entry_without_title_is_skipped_and_reported() -> None:
    result = parse_feed(_read("rss2_cdata.xml"))
    assert len(result.skipped) == 1
    assert result.skipped[0].startswith("entry 3: no title")


def test_non_http_link_is_dropped() -> None:
    road = parse_feed(_read("rss2_cdata.xml")).stories[2]
    assert road.title.startswith("Mountain Road")
    assert road.url is None


def test_atom_html_title_content_and_language() -> None:
    result = parse_feed(_read("atom.xml"), source="valley")
    assert result.title == "Вестник долины"
    first, second = result.stories
    assert first.title == "Фермеры <и> кооперативы договорились о ценах"
    assert first.text == "Соглашение подписали в среду.\n\nЦены останутся прежними до весны."
    assert first.summary == "Коротко: соглашение подписано."
    assert first.published == datetime(2025, 12, 11, 2, 45, tzinfo=UTC)
    assert first.lang == "ru"
    assert first.url == "https://valley-herald.example/ru/1"
    # Entry-level xml:lang beats the feed's; published beats updated.
    assert second.lang == "en"
    assert second.published == datetime(2025, 12, 10, 12, 0, tzinfo=UTC)
    assert second.text == "Orchards picked more apples than ever."


def test_rdf_feed() -> None:
    stories = parse_feed(_read("rdf.xml")).stories
    assert [s.title for s in stories] == [
        "Ferry Timetable Changes for Winter",
        "Fishermen Count Fewer Carp This Year",
    ]
    assert stories[0].published == datetime(2025, 12, 10, 23, 0, tzinfo=UTC)
    assert stories[0].url == "https://lake-post.example/a"
    assert stories[0].lang == "en"
    assert stories[1].published is None


def test_windows_1251_feed_decodes_by_its_declaration() -> None:
    data = _read("rss_cp1251.xml")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (story,) = parse_feed(data).stories
    assert story.title == "В Бишкеке открылся новый каток"
    assert story.text == "Каток работает ежедневно с девяти утра."
    assert story.lang == "ru"
    assert story.published == datetime(2025, 12, 11, 4, 0, tzinfo=UTC)


def test_missing_and_garbage_dates_become_none() -> None:
    stories = parse_feed(_read("no_dates.xml")).stories
    assert len(stories) == 2
    assert [s.published for s in stories] == [None, None]
    assert [s.lang for s in stories] == [None, None]


def test_entity_declarations_are_refused() -> None:
    with pytest.raises(FeedError, match="entity declarations are not allowed"):
        parse_feed(_read("entity_bomb.xml"))


def test_external_entity_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b"<rss><channel><title>&x;</title></channel></rss>"
    )
    with pytest.raises(FeedError, match="entity"):
        parse_feed(data)


def test_truncated_feed_keeps_what_was_complete() -> None:
    result = parse_feed(_read("truncated.xml"))
    assert result.title == "Cut Short"
    assert result.stories[0].title == "Bridge Opens to Pedestrians"
    assert result.stories[0].text == "Walkers crossed the river on Monday."
    assert [s.title for s in result.stories][:2] == [
        "Bridge Opens to Pedestrians",
        "Market Hours Extended",
    ]


@pytest.mark.parametrize("data", [b"", b"   \n\t", b"hello, this is not a feed", b"<html/>"])
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(data)


def test_empty_but_valid_feed_gives_no_stories() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    result = parse_feed(data)
    assert result.stories == []
    assert result.title == "Quiet"


def test_oversized_feed_is_refused() -> None:
    with pytest.raises(FeedError, match="20 MB"):
        parse_feed(b" " * (MAX_FEED_BYTES + 1))


def test_feed_error_is_a_value_error() -> None:
    assert issubclass(FeedError, ValueError)
