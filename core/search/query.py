"""What a query asks for: its terms with the variants each may mean, and its countries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from core.countries import find_countries, lookup_country
from core.search.fuzzy import Variant, Vocabulary
from core.search.glossary import build_glossary
from core.search.stemming import Analyzer

MAX_QUERY_CHARS: Final = 500
MAX_QUERY_TERMS: Final = 24
# A glossary word (the other language's word, a synonym, a number as digits) counts this
# much against the word itself: enough to find a story told in other words, too little
# to outrank one that uses the query's own words.
RELATED_WEIGHT: Final = 0.6
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
        self._glossary = build_glossary(analyzer.term)
        self._known: dict[tuple[str, str], tuple[Variant, ...]] = {}
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
        terms: list[QueryTerm] = []
        for word, term in self._analyzer.query_terms(text)[:MAX_QUERY_TERMS]:
            variants = self._known.get((word, term))
            if variants is None:
                variants = self._variants(word, term)
                self._known[(word, term)] = variants
            if variants:
                terms.append(QueryTerm(word, variants))
        return ParsedQuery(tuple(terms), query_countries(text))

    def _variants(self, word: str, term: str) -> tuple[Variant, ...]:
        found = self._vocabulary.variants(term, word)
        seen = {variant.term_id for variant in found}
        for other in self._glossary.get(term, ()):
            other_id = self._vocabulary.ids.get(other)
            if other_id is not None and other_id not in seen:
                seen.add(other_id)
                found.append(Variant(other_id, RELATED_WEIGHT))
        return tuple(found)


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
