"""Feeds in any encoding, named or not, come out as readable text or are refused per title."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.mojibake import is_garbled
from sources.detect import detect_format
from sources.feeds import parse_feed
from sources.ingest import Ingestor
from storage.stories import list_latest_stories
from tests.paths import FIXTURES

FEEDPARSER = FIXTURES / "feeds" / "feedparser"
TITLE = "Как пережить новогоднюю ночь"
KZ_TITLE = "Президент Казахстана провёл совещание по ценам на продукты в Астане"


def _rss(title: str, declaration: str = "", body: str = "Текст новости о ценах.") -> str:
    return (
        f"{declaration}<rss version='2.0'><channel><title>Лента</title>"
        f"<item><title>{title}</title><link>https://example.kz/1</link>"
        f"<description>{body}</description></item></channel></rss>"
    )


def _titles(data: bytes, header_charset: str | None = None) -> list[str]:
    return [story.title for story in parse_feed(data, header_charset=header_charset).stories]


def test_koi8r_without_a_declaration_from_feedparsers_corpus() -> None:
    feed = parse_feed((FEEDPARSER / "koi8r.xml").read_bytes())
    assert [s.title for s in feed.stories] == [TITLE]
    assert feed.encoding == "koi8_r"
    assert "named no encoding" in feed.encoding_note


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
def test_russian_feed_without_a_declaration(encoding: str) -> None:
    data = _rss(KZ_TITLE).encode(encoding)
    assert _titles(data) == [KZ_TITLE]


@pytest.mark.parametrize(
    ("declared", "real"),
    [("iso-8859-1", "windows-1251"), ("windows-1251", "utf-8"), ("utf-8", "windows-1251")],
)
def test_a_wrong_declaration_is_overruled(declared: str, real: str) -> None:
    data = _rss(KZ_TITLE, f'<?xml version="1.0" encoding="{declared}"?>').encode(real)
    assert _titles(data) == [KZ_TITLE]


def test_a_wrong_header_charset_is_overruled() -> None:
    data = _rss(KZ_TITLE).encode("windows-1251")
    assert _titles(data, header_charset="utf-8") == [KZ_TITLE]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_unicode_without_a_byte_order_mark(codec: str, tmp_path: Path) -> None:
    data = _rss(KZ_TITLE, f'<?xml version="1.0" encoding="{codec[:6]}"?>').encode(codec)
    assert detect_format(data) == "feed"
    assert _titles(data) == [KZ_TITLE]


@pytest.mark.parametrize("name", ["utf-16le-autodetect.xml", "utf-32be-autodetect.xml"])
def test_feedparsers_bomless_files_are_feeds(name: str) -> None:
    data = (FEEDPARSER / name).read_bytes()
    assert detect_format(data) == "feed"
    assert parse_feed(data).stories == []


def test_the_entrys_own_title_beats_a_nested_images() -> None:
    feed = parse_feed((FEEDPARSER / "atom10_title.xml").read_bytes())
    assert [s.title for s in feed.stories] == ["Correct Value", "Correct Value"]


def test_mixed_encodings_keep_the_good_titles_and_refuse_the_bad() -> None:
    good = _rss(KZ_TITLE).encode("utf-8")
    bad_title = "Цены на хлеб в Бишкеке".encode("windows-1251")
    data = good.replace(b"</channel>", b"<item><title>" + bad_title + b"</title></item></channel>")
    feed = parse_feed(data)
    assert [s.title for s in feed.stories] == [KZ_TITLE]
    assert len(feed.skipped) == 1
    assert feed.skipped[0].startswith("entry 2: title is not readable text")


def test_mojibake_already_in_the_text_is_refused() -> None:
    garbled = TITLE.encode("koi8-r").decode("latin-1")
    data = _rss(garbled, '<?xml version="1.0" encoding="utf-8"?>').encode("utf-8")
    feed = parse_feed(data)
    assert feed.stories == []
    assert "not readable text" in feed.skipped[0]


def test_nul_bytes_and_an_all_entities_title() -> None:
    data = _rss("&#1050;&#1072;&#1079;&#1072;&#1093;&#1089;&#1090;&#1072;&#1085; &amp;").encode()
    assert _titles(data.replace(b"<link>", b"\0<link>")) == ["Казахстан &"]
    assert _titles(_rss("&amp;&lt;&gt;").encode()) == ["&<>"]


@pytest.mark.parametrize(
    "text",
    [
        "Президент Казахстана провёл совещание",
        "Ўзбекистон ва Қозоғистон савдоси ўсди",
        "Oʻzbekiston va Qozogʻiston savdosi oʻsdi",
        "Türkmenistanyň prezidenti Aşgabatda",
        "Prix du pétrole: l'été sera chaud à Genève",
        "Apple releases iOS update for iPhone and iPad",
        "Çay ve şeker fiyatları düştü",
    ],
)
def test_real_text_is_not_called_garbled(text: str) -> None:
    assert not is_garbled(text)


@pytest.mark.parametrize(
    ("real", "read_as"),
    [
        ("koi8-r", "latin-1"),
        ("windows-1251", "latin-1"),
        ("koi8-r", "windows-1251"),
        ("utf-8", "windows-1252"),
        ("utf-8", "windows-1251"),
        ("utf-8", "koi8-r"),
    ],
)
def test_wrongly_decoded_cyrillic_is_garbled(real: str, read_as: str) -> None:
    assert is_garbled(KZ_TITLE.encode(real).decode(read_as, errors="replace"))


async def test_an_undeclared_windows_1251_feed_is_stored_readable(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = tmp_path / "undeclared.xml"
    path.write_bytes(_rss(KZ_TITLE).encode("windows-1251"))
    report = await Ingestor(sessions).ingest_file(path)
    assert report.ok and report.stories_added == 1
    assert any("read as" in problem for problem in report.problems)
    async with sessions() as session:
        assert [s.title for s in await list_latest_stories(session)] == [KZ_TITLE]
