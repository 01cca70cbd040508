"""Words to index terms: stop words out, English and Russian stems through PyStemmer,
Kazakh, Kyrgyz and Tajik stems through our suffix stripper (``core.search.suffixes``)."""

from __future__ import annotations

from typing import Final

import Stemmer

from core.search.normalize import is_cyrillic, tokens
from core.search.stopwords import STOP_WORDS
from core.search.suffixes import strip_tajik, strip_turkic

_CACHE_LIMIT: Final = 400_000
# Letters only Kazakh/Kyrgyz (and Tajik) Cyrillic have; Tajik alone has the second set.
_TURKIC_LETTERS: Final = frozenset("әғқңөұүһі")
_TAJIK_LETTERS: Final = frozenset("ҳӣӯҷ")
# A Russian adjective made of a name ("Рогунская", "бухарских", "Аральское") stands for the
# name: its stem loses the adjective's suffix. Shorter stems are ordinary adjectives.
_NAME_ADJECTIVE: Final = ("инск", "ск", "цк")
_MIN_NAME: Final = 4
# A Latin word's Turkic stem shorter than this is more often an English word cut wrong.
_MIN_LATIN_STEM: Final = 4
RUSSIAN: Final = "ru"
TURKIC: Final = "turkic"
TAJIK: Final = "tg"


def cyrillic_family(text: str) -> str:
    """Return which stemmer suits the Cyrillic words of ``text`` (casefolded or not).

    Args:
        text: A story's or a query's text.

    Returns:
        ``TAJIK`` or ``TURKIC`` when the text has letters only those languages use, else
        ``RUSSIAN``.
    """
    letters = set(text.casefold())
    if letters & _TAJIK_LETTERS:
        return TAJIK
    if letters & _TURKIC_LETTERS:
        return TURKIC
    return RUSSIAN


def name_of_adjective(term: str) -> str | None:
    """Return the name a Russian adjective's stem stands for, or None when it is none.

    Args:
        term: A Russian stem ("аральск", "рогунск", "бухарск").

    Returns:
        The name's stem ("арал", "рогун", "бухар"), or None.
    """
    for ending in _NAME_ADJECTIVE:
        if term.endswith(ending) and len(term) - len(ending) >= _MIN_NAME:
            # "аральск" is "Арал" softened before the suffix: the soft sign goes too.
            return term[: -len(ending)].removesuffix("ь")
    return None


class Analyzer:
    """Turns text into index terms; remembers each word's term, since words repeat a lot.

    A word in Cyrillic goes through the Russian stemmer ("пеликанов" -> "пеликан",
    "Бухаре" -> "бухар"), any other through the English one ("exercises" -> "exercis");
    numbers stay as they are. Kazakh and Uzbek words, already folded to the nearest Russian
    or plain Latin letters, get the stemmer of their script: it trims common endings and
    leaves the rest to the fuzzy matcher.
    """

    def __init__(self) -> None:
        self._english = Stemmer.Stemmer("english")
        self._russian = Stemmer.Stemmer("russian")
        self._terms: dict[str, str | None] = {}
        self._family_terms: dict[tuple[str, str], str | None] = {}

    def family_term(self, word: str, family: str) -> str | None:
        """Return the index term of a folded word of a Kazakh/Kyrgyz or Tajik text.

        Cyrillic words lose their Turkic (or Tajik) endings instead of Russian ones
        ("павлодардағы" -> "павлодар"); other words get their usual term.
        """
        if family == RUSSIAN or not is_cyrillic(word):
            return self.term(word)
        key = (word, family)
        known = self._family_terms.get(key, "")
        if known != "":
            return known
        result: str | None = None
        if word not in STOP_WORDS:
            result = strip_turkic(word) if family == TURKIC else strip_tajik(word)
        if len(self._family_terms) >= _CACHE_LIMIT:
            self._family_terms.clear()
        self._family_terms[key] = result
        return result

    def other_terms(self, word: str) -> list[str]:
        """Return the other stems a folded word may have in the region's languages.

        A Cyrillic word gives its Kazakh/Kyrgyz and Tajik stems and, for a Russian
        adjective of a name ("аральское"), the name ("арал"); a Latin word its Uzbek or
        Turkmen stem ("hosili" -> "hosil") when that keeps enough letters to be a word.
        """
        found: list[str | None]
        if is_cyrillic(word):
            found = [self.family_term(word, TURKIC), self.family_term(word, TAJIK)]
            found.append(name_of_adjective(self.term(word) or ""))
        elif word.isascii() and word.isalpha():
            found = [strip_turkic(word)]
            found = [stem for stem in found if stem and len(stem) >= _MIN_LATIN_STEM]
        else:
            found = []
        own = self.term(word)
        return [stem for stem in dict.fromkeys(found) if stem and stem != own]

    def term(self, word: str) -> str | None:
        """Return the index term of a folded word, or None for a stop word."""
        known = self._terms.get(word, "")
        if known != "":
            return known
        result: str | None
        if word in STOP_WORDS:
            result = None
        elif word.isdigit() or not word[0].isalpha():
            result = word
        elif is_cyrillic(word):
            result = self._russian.stemWord(word)
        else:
            result = self._english.stemWord(word)
        if len(self._terms) >= _CACHE_LIMIT:
            self._terms.clear()
        self._terms[word] = result
        return result

    def query_terms(self, text: str) -> list[tuple[str, str]]:
        """Return the distinct (word, term) pairs of a query, in order, stop words left out."""
        seen: set[str] = set()
        pairs: list[tuple[str, str]] = []
        for word in tokens(text):
            term = self.term(word)
            if term is not None and term not in seen:
                seen.add(term)
                pairs.append((word, term))
        return pairs
