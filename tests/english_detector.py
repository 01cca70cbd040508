"""Find English left in a reply meant for another language.

The English words to look for are those of our own source strings (the ``.pot``) that
the target language's catalog never uses: an untranslated message shows them, a
translated one does not. Words the catalog keeps (command examples such as "usd kzt")
are not English left behind, and neither are the words of what the bot quotes: story
titles, outlets and summaries stay in the language they were written in, so the caller
passes their words in (``quoted_words``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from babel.messages.pofile import read_po

from core.types import Story
from locales import LOCALE_DIR, catalog_path
from views.news import SUMMARY_CHARS

_WORD = re.compile(r"[A-Za-z]{3,}")


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


@cache
def _source_words() -> frozenset[str]:
    with (LOCALE_DIR / "newsbot.pot").open("rb") as source:
        template = read_po(source)
    words: set[str] = set()
    for message in template:
        for text in [message.id] if isinstance(message.id, str) else message.id:
            words |= _words(text)
    return frozenset(words)


@cache
def _catalog_words(lang: str) -> frozenset[str]:
    with catalog_path(lang).open("rb") as source:
        catalog = read_po(source, locale=lang)
    words: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        for text in [message.string] if isinstance(message.string, str) else message.string:
            words |= _words(text or "")
    return frozenset(words)


def english_markers(lang: str) -> frozenset[str]:
    """Words that, seen in a reply in ``lang``, can only come from an untranslated string."""
    return _source_words() - _catalog_words(lang)


def quoted_words(stories: Iterable[Story]) -> frozenset[str]:
    """The words a reply may quote from ``stories``: titles, outlets, summary openings."""
    words: set[str] = set()
    for story in stories:
        summary = (story.summary or story.text or "")[: SUMMARY_CHARS + 50]
        words |= _words(f"{story.title} {story.source or ''} {summary}")
    return frozenset(words)


def english_left(text: str, lang: str, quoted: frozenset[str] = frozenset()) -> list[str]:
    """The English marker words found in ``text`` (sorted; empty when there are none).

    Words in capitals are codes (USD, NBK, PAGE), which stay as they are in every language;
    words in ``quoted`` come from the stories the reply quotes.
    """
    found = {word.lower() for word in _WORD.findall(text) if not word.isupper()}
    return sorted((found & english_markers(lang)) - quoted)
