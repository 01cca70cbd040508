"""What a query asks for: its terms with the variants each may mean, and its countries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from core.countries import find_countries, lookup_country
from core.search.fuzzy import Variant, Vocabulary
from core.search.glossary import build_glossary
from core.search.glossary_regional import REGIONAL_GROUPS
from core.search.lexicon import load_lexicon
from core.search.normalize import distinct_raw_words, is_cyrillic, split_word
from core.search.scripts import russian_reading, uzbek_reading
from core.search.stemming import TAJIK, TURKIC, Analyzer, cyrillic_family, name_of_adjective
from core.search.suffixes import strip_turkic

MAX_QUERY_CHARS: Final = 500
MAX_QUERY_TERMS: Final = 24
# A glossary word (the other language's word, a synonym, a number as digits) counts this
# much against the word itself: enough to find a story told in other words, too little
# to outrank one that uses the query's own words.
RELATED_WEIGHT: Final = 0.6
# Another reading of the same word (Latin-typed Russian read back into Cyrillic, Kazakh
# endings taken off a word the Russian stemmer misread): nearly the word itself.
READING_WEIGHT: Final = 0.9
# A learned translation counts RELATED_WEIGHT at its best (Dice 0.6 and up), less when
# the headlines shared it less often.
LEXICON_BASE: Final = 0.4
LEXICON_PER_TERM: Final = 3
MAX_READING_VARIANTS: Final = 10
_CACHE_LIMIT: Final = 20_000
_CODE_RE: Final = re.compile(r"\b[A-Z]{2,3}\b")


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One word of a query and the index terms it may mean."""

    word: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query's terms (those the index knows something close to) and the countries it names."""

    terms: tuple[QueryTerm, ...]
    countries: tuple[str, ...]


class QueryReader:
    """Reads queries against one index; remembers each word's variants while it can.

    A word's variants depend only on the vocabulary, which changes only when new terms
    are indexed, so they are kept until the vocabulary grows: the words people ask about
    repeat, and their typo search is the dearest part of reading a query.
    """

    def __init__(self, analyzer: Analyzer, vocabulary: Vocabulary) -> None:
        self._analyzer = analyzer
        self._vocabulary = vocabulary
        self._glossary = build_glossary(analyzer.term, self._family_terms, REGIONAL_GROUPS)
        self._lexicon = load_lexicon()
        self._known: dict[tuple[str, str, str], tuple[Variant, ...]] = {}
        self._known_terms = -1

    def parse(self, text: str) -> ParsedQuery:
        """Read a query: stop words out, each word stemmed and matched to index terms.

        Args:
            text: What the user typed, any length (only the start of a long one is read).

        Returns:
            The query's terms with their variants, and the countries it names (codes such
            as "KZ", names, capitals and demonyms in any supported language).
        """
        text = text[:MAX_QUERY_CHARS]
        if self._known_terms != len(self._vocabulary) or len(self._known) > _CACHE_LIMIT:
            self._known.clear()
            self._known_terms = len(self._vocabulary)
        family = cyrillic_family(text)
        terms: list[QueryTerm] = []
        seen: set[str] = set()
        for raw in distinct_raw_words(text):
            for word in split_word(raw):
                term = self._analyzer.term(word)
                if term is None or term in seen or len(terms) >= MAX_QUERY_TERMS:
                    continue
                seen.add(term)
                key = (raw, word, family)
                variants = self._known.get(key)
                if variants is None:
                    variants = self._variants(raw, word, term, family)
                    self._known[key] = variants
                if variants:
                    terms.append(QueryTerm(word, variants))
        return ParsedQuery(tuple(terms), query_countries(text))

    def _family_terms(self, word: str) -> list[str]:
        """A glossary word's Kazakh/Kyrgyz and Tajik stems, when it has any."""
        if not is_cyrillic(word):
            return []
        found = (self._analyzer.family_term(word, family) for family in (TURKIC, TAJIK))
        return [term for term in found if term]

    def _readings(
        self, raw: str, word: str, term: str, family: str
    ) -> list[tuple[str, str, float, bool]]:
        """The (word, term, weight, typos too) readings of a query word: its own, then
        other scripts'. Typos are looked for around the word as typed and its Uzbek
        reading only: the Russian reading shares the word's spelling key already, and each
        more pass would be guesses on a guess at the cost of another edit-distance search.
        """
        readings = [(word, term, 1.0, True)]
        if is_cyrillic(word):
            # A Russian adjective of a name ("Рогунской", "бухарских") stands for the name.
            name = name_of_adjective(term)
            if name:
                readings.append((word, name, READING_WEIGHT, False))
            for other in (TURKIC, TAJIK):
                weight = 1.0 if family == other else READING_WEIGHT
                stem = self._analyzer.family_term(word, other) or ""
                readings.append((word, stem, weight, False))
        elif word.isascii() and word.isalpha():
            russian = russian_reading(word)
            readings.append((russian, self._analyzer.term(russian) or "", READING_WEIGHT, False))
            for uzbek in split_word(uzbek_reading(raw)):
                for uzbek_stem in (
                    self._analyzer.term(uzbek),
                    self._analyzer.family_term(uzbek, TURKIC),
                ):
                    readings.append((uzbek, uzbek_stem or "", READING_WEIGHT, True))
        return [reading for reading in readings if reading[1]]

    def _variants(self, raw: str, word: str, term: str, family: str) -> tuple[Variant, ...]:
        found: dict[int, float] = {}
        done: set[str] = set()
        searched: set[str] = set()
        for reading, stem, weight, typos in self._readings(raw, word, term, family):
            if stem in done:
                continue
            done.add(stem)
            variants = self._vocabulary.variants(stem, reading, fuzzy=typos, searched=searched)
            for variant in variants:
                if found.get(variant.term_id, 0.0) < variant.weight * weight:
                    found[variant.term_id] = variant.weight * weight
            self._add_related(found, stem, weight)
            for other, score in self._lexicon.get(stem, ())[:LEXICON_PER_TERM]:
                other_id = self._vocabulary.ids.get(other)
                learned = RELATED_WEIGHT * weight * min(1.0, LEXICON_BASE + score)
                if other_id is not None and found.get(other_id, 0.0) < learned:
                    found[other_id] = learned
        if word.isascii() and word.isalpha():
            # An Uzbek or Turkmen word in Latin letters without its endings ("hosili",
            # "himoyaga") reaches its glossary group; only the glossary, since the same
            # cut on an English word ("golden") would make up a word of the index.
            latin_stem = strip_turkic(word)
            if latin_stem not in done:
                self._add_related(found, latin_stem, READING_WEIGHT)
        ranked = sorted(found.items(), key=lambda item: -item[1])[:MAX_READING_VARIANTS]
        return tuple(Variant(term_id, weight) for term_id, weight in ranked)

    def _add_related(self, found: dict[int, float], stem: str, weight: float) -> None:
        """Add the index terms of ``stem``'s glossary groups to ``found``."""
        for other in self._glossary.get(stem, ()):
            other_id = self._vocabulary.ids.get(other)
            if other_id is not None and found.get(other_id, 0.0) < RELATED_WEIGHT * weight:
                found[other_id] = RELATED_WEIGHT * weight


def parse_query(text: str, analyzer: Analyzer, vocabulary: Vocabulary) -> ParsedQuery:
    """Read one query against an index (see ``QueryReader.parse``, which caches)."""
    return QueryReader(analyzer, vocabulary).parse(text)


def query_countries(text: str) -> tuple[str, ...]:
    """Return the countries a query names, in the order found."""
    codes = list(find_countries(text))
    # Upper-case codes ("KZ", "UZB") are countries only when people write them so.
    for code in _CODE_RE.findall(text):
        found = lookup_country(code)
        if found and found not in codes:
            codes.append(found)
    return tuple(codes)
