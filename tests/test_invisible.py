"""Bidi controls and other invisible format characters are dropped at ingest; joiners stay."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.plain_text import KEPT_FORMAT_CHARACTERS, clean_line, html_to_text
from sources.ingest import Ingestor
from storage.stories import list_latest_stories

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWNJ, ZWJ = "\u200c", "\u200d"


def test_every_format_character_is_dropped_or_deliberately_kept() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) != "Cf":
            continue
        if char in KEPT_FORMAT_CHARACTERS:
            assert clean_line(f"a{char}b") == f"a{char}b"
        else:
            assert clean_line(f"a{char}b") == "ab", f"U+{code:04X} kept"


def test_a_reversed_title_reads_forwards_and_joiners_stay() -> None:
    assert clean_line(f"Tashkent {RLO}txet desrever{PDF} news") == "Tashkent txet desrever news"
    assert clean_line(f"{LRI}Bishkek{PDI}\u200f \ufeffsoft\u00adhyphen") == "Bishkek softhyphen"
    persian = f"می{ZWNJ}خواهم"  # "I want": the non-joiner keeps the prefix apart
    family = f"👩{ZWJ}👩{ZWJ}👧"
    assert clean_line(f"{persian} {family}") == f"{persian} {family}"
    assert html_to_text(f"<p>{RLO}abc</p><p>d{RLO}e</p>") == "abc\n\nde"


async def test_stored_titles_and_texts_of_every_format_are_clean(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    jsonl = tmp_path / "bidi.jsonl"
    jsonl.write_text(
        f'{{"title": "Almaty {RLO}gnidliub wen{PDF}", "text": "Body {LRI}x{PDI} here"}}\n'
        f'{{"title": "{RLO}{PDF}\\u200b"}}\n',
        encoding="utf-8",
    )
    feed = tmp_path / "bidi.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Dushanbe {RLO}market</title><link>https://tj.example/m</link>"
        f"<description>&lt;p&gt;Prices {RLO}rose&lt;/p&gt;</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    ingestor = Ingestor(sessions)
    lines = await ingestor.ingest_file(jsonl)
    assert lines.stories_added == 1
    assert lines.problems == ["bidi.jsonl:2: missing title"]
    assert (await ingestor.ingest_file(feed)).stories_added == 1
    async with sessions() as session:
        stories = await list_latest_stories(session, limit=10)
    for story in stories:
        for text in (story.title, story.text, story.summary):
            assert not any(unicodedata.category(c) == "Cf" for c in text), repr(text)
    assert {story.title for story in stories} == {"Almaty gnidliub wen", "Dushanbe market"}
