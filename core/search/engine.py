"""The search engine: index stories, answer a query with story ids, best first."""

from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from core.search.fuzzy import Variant, Vocabulary
from core.search.normalize import raw_words, split_word
from core.search.postings import FieldModel, FloatArray, IntArray, Postings
from core.search.query import ParsedQuery, QueryReader
from core.search.stemming import RUSSIAN, Analyzer, cyrillic_family

# Compact when the tail grows past this share of all postings (or this many postings).
_TAIL_SHARE: Final = 0.1
_TAIL_MAX: Final = 200_000
# A story tagged with a country the query names scores this much more (main country), or
# the smaller share when the country is only mentioned.
MAIN_COUNTRY_BOOST: Final = 0.3
OTHER_COUNTRY_BOOST: Final = 0.12
# Coverage: a story matching only part of the query (by IDF) keeps score * coverage ** this.
COVERAGE_POWER: Final = 1.0
# Recency only breaks near-ties: the newest story gains this share of the top score.
RECENCY_SHARE: Final = 0.02
_EXTRA_CANDIDATES: Final = 30
# Merge a query's postings as sorted lists when they number under 1/this of the stories.
_SPARSE_SHARE: Final = 8
_WORD_CACHE: Final = 2_000_000
# Merged postings of recent query words (all their variants at once), up to this many
# postings in all: the words people ask about repeat far more than whole questions do.
_MERGED_POSTINGS: Final = 2_000_000
# Countries whose per-story boost is kept (a float per story each).
_COUNTRY_FACTORS: Final = 16


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the engine needs of a story: its id, fields, date and countries."""

    id: int
    title: str
    summary: str = ""
    text: str = ""
    published: datetime | None = None
    countries: tuple[str, ...] = field(default_factory=tuple)


class ScoredId(NamedTuple):
    """A story id and its score (higher is better; comparable within one query only).

    A named tuple: made a few times per answer, it costs a third of a frozen dataclass.
    """

    id: int
    score: float


class SearchEngine:
    """An in-memory index of stories: compact postings of ids and weights, never the texts."""

    def __init__(self, model: FieldModel | None = None) -> None:
        self._analyzer = Analyzer()
        self._vocabulary = Vocabulary()
        self._postings = Postings(model or FieldModel())
        self._reader = QueryReader(self._analyzer, self._vocabulary)
        self._ids = array("q")
        self._index_of: dict[int, int] = {}
        self._times = array("d")  # publication time, seconds; NaN when unknown
        self._newest = -math.inf
        self._oldest = math.inf
        # Casefolded word as found in a text -> its term ids (none for a stop word), for
        # each stemmer family (Russian, Kazakh/Kyrgyz, Tajik).
        self._word_ids: dict[str, dict[str, tuple[int, ...]]] = {}
        self._merged: OrderedDict[tuple[Variant, ...], tuple[IntArray, FloatArray, float]] = (
            OrderedDict()
        )
        self._merged_size = 0
        self._main_country: dict[str, array[int]] = {}
        self._any_country: dict[str, array[int]] = {}
        # Derived from the above once per change of the index, on first use: a story's
        # freshness (0 oldest .. 1 newest) and, per country asked about, each story's boost.
        self._fresh: FloatArray | None = None
        self._country_factors: dict[str, FloatArray] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._index_of

    @property
    def terms(self) -> int:
        """How many distinct terms the index holds."""
        return len(self._vocabulary)

    @property
    def postings(self) -> int:
        """How many (story, term) postings the index holds."""
        return len(self._postings)

    def add(self, docs: Iterable[SearchDoc]) -> int:
        """Index stories; a story whose id is indexed already is skipped.

        Args:
            docs: The stories, in any order.

        Returns:
            How many were added.
        """
        added = 0
        for doc in docs:
            if doc.id in self._index_of:
                continue
            self._add_one(doc)
            added += 1
        if added:
            # New stories change postings and document frequencies: merge words afresh.
            self._merged.clear()
            self._merged_size = 0
            self._fresh = None
            self._country_factors.clear()
        tail = self._postings.tail_size
        if tail and (tail > _TAIL_MAX or tail > _TAIL_SHARE * len(self._postings)):
            self._postings.compact(len(self._vocabulary))
        return added

    def _add_one(self, doc: SearchDoc) -> None:
        index = len(self._ids)
        self._ids.append(doc.id)
        self._index_of[doc.id] = index
        # One stemmer family per story: a Kazakh headline's "Павлодарда" loses "-да", not
        # what the Russian stemmer would take.
        family = cyrillic_family(doc.title + doc.summary[:200])
        self._postings.add(
            index,
            self._term_ids(doc.title, family),
            self._term_ids(doc.summary, family),
            self._term_ids(doc.text, family),
        )
        when = doc.published.timestamp() if doc.published is not None else math.nan
        self._times.append(when)
        if not math.isnan(when):
            self._newest = max(self._newest, when)
            self._oldest = min(self._oldest, when)
        for position, code in enumerate(dict.fromkeys(doc.countries)):
            if position == 0:
                self._main_country.setdefault(code, array("i")).append(index)
            self._any_country.setdefault(code, array("i")).append(index)

    def _term_ids(self, text: str, family: str = RUSSIAN) -> dict[int, int]:
        """Term id -> count in ``text``; each distinct word is analysed once per engine."""
        if not text:
            return {}
        found: dict[int, int] = {}
        known = self._word_ids.setdefault(family, {})
        seen = found.get
        for raw, count in raw_words(text).items():
            term_ids = known.get(raw)
            if term_ids is None:
                term_ids = self._analyse(raw, family)
                if len(known) < _WORD_CACHE:
                    known[raw] = term_ids
            if len(term_ids) == 1:  # nearly always: one word, one term
                term_id = term_ids[0]
                found[term_id] = seen(term_id, 0) + count
            else:
                for term_id in term_ids:
                    found[term_id] = seen(term_id, 0) + count
        return found

    def _analyse(self, raw: str, family: str) -> tuple[int, ...]:
        terms = (self._analyzer.family_term(word, family) for word in split_word(raw))
        return tuple(self._vocabulary.intern(term) for term in terms if term is not None)

    def parse(self, query: str) -> ParsedQuery:
        """Return how the engine reads ``query`` (its terms and countries)."""
        return self._reader.parse(query if isinstance(query, str) else "")

    def search(self, query: str, *, limit: int = 10, country: str | None = None) -> list[ScoredId]:
        """Return the stories that best answer ``query``, best first.

        Args:
            query: Free text in any language and spelling; garbage gives ``[]``.
            limit: How many at most.
            country: Only stories tagged with this ISO code, when given.

        Returns:
            Story ids with scores, best first; at most ``limit``.
        """
        if limit <= 0 or not self._ids:
            return []
        parsed = self.parse(query)
        if not parsed.terms:
            return []
        candidates, scores = self._score(parsed)
        if country is not None:
            tagged = self._any_country.get(country.upper())
            if tagged is None:
                return []
            keep = np.isin(candidates, np.frombuffer(tagged, dtype=np.int32))
            candidates, scores = candidates[keep], scores[keep]
        scores = self._boost_countries(parsed.countries, candidates, scores)
        return self._best(candidates, scores, limit)

    def _score(self, parsed: ParsedQuery) -> tuple[IntArray, FloatArray]:
        count = len(self._ids)
        words = [self._word_scores(term.variants, count) for term in parsed.terms]
        words = [word for word in words if word[0].size]
        if not words:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        total_idf = sum(idf for _, _, idf in words)
        if len(words) == 1:
            docs, contributions, _ = words[0]
            return docs, contributions.astype(np.float32)
        if sum(docs.size for docs, _, _ in words) * _SPARSE_SHARE < count:
            # Few postings: merging the short lists beats touching a buffer per story.
            candidates, inverse = _distinct_sorted([docs for docs, _, _ in words])
            sums = np.bincount(inverse, weights=np.concatenate([c for _, c, _ in words]))
            idfs = np.concatenate([np.full(d.size, idf) for d, _, idf in words])
            total: FloatArray = sums.astype(np.float32)
            covered: FloatArray = np.bincount(inverse, weights=idfs).astype(np.float32)
        else:
            # Many: one scatter per word into buffers of every story.
            total = np.zeros(count, dtype=np.float32)
            covered = np.zeros(count, dtype=np.float32)
            for docs, contributions, idf in words:
                total[docs] += contributions  # a word lists each story once
                covered[docs] += np.float32(idf)
            # Through a boolean mask: numpy finds the set entries of a bool array several
            # times faster than those of a float one (the same indices, in order).
            candidates = (covered != 0).nonzero()[0]
            total, covered = total[candidates], covered[candidates]
        coverage = covered / np.float32(total_idf)
        if COVERAGE_POWER != 1.0:
            coverage **= COVERAGE_POWER
        return candidates.astype(np.int32, copy=False), total * coverage

    def _word_scores(
        self, variants: tuple[Variant, ...], count: int
    ) -> tuple[IntArray, FloatArray, float]:
        """``_term_scores`` of a query word, kept while the index is unchanged."""
        merged = self._merged.get(variants)
        if merged is not None:
            self._merged.move_to_end(variants)
            return merged
        merged = self._term_scores(variants, count)
        size = int(merged[0].size)
        if size <= _MERGED_POSTINGS // 10:
            self._merged[variants] = merged
            self._merged_size += size
            while self._merged_size > _MERGED_POSTINGS:
                _, (old_docs, _, _) = self._merged.popitem(last=False)
                self._merged_size -= int(old_docs.size)
        return merged

    def _term_scores(
        self, variants: Iterable[Variant], count: int
    ) -> tuple[IntArray, FloatArray, float]:
        """The documents matching any variant of a word, each with its best contribution."""
        found: list[tuple[IntArray, FloatArray]] = []
        own_idf: float | None = None
        best_idf = 0.0
        for variant in variants:
            term_id, weight = variant.term_id, variant.weight
            docs, weights = self._postings.lookup(term_id)
            if not docs.size:
                continue
            idf = math.log(1.0 + (count - docs.size + 0.5) / (docs.size + 0.5))
            if weight == 1.0:
                own_idf = idf
            elif own_idf is not None:
                # Another spelling never counts more than the word itself: a rare typo in
                # the corpus must not outrank the word the user actually wrote.
                idf = min(idf, own_idf)
            best_idf = max(best_idf, idf * weight)
            found.append((docs, weights * np.float32(idf * weight)))
        if not found:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32), 0.0
        if len(found) == 1:
            return found[0][0], found[0][1], best_idf
        if sum(docs.size for docs, _ in found) * _SPARSE_SHARE < count:
            # Few postings: sort them by story and keep each story's best, rather than
            # filling and scanning a buffer of every story.
            all_docs = np.concatenate([docs for docs, _ in found])
            order = np.argsort(all_docs, kind="stable")
            all_docs = all_docs[order]
            starts = np.flatnonzero(np.diff(all_docs, prepend=-1))
            scores = np.maximum.reduceat(np.concatenate([s for _, s in found])[order], starts)
            return all_docs[starts].astype(np.int32, copy=False), scores, best_idf
        best = np.zeros(count, dtype=np.float32)
        for docs, scores in found:
            best[docs] = np.maximum(best[docs], scores)
        docs = (best != 0).nonzero()[0].astype(np.int32)  # a bool mask: see _score
        return docs, best[docs], best_idf

    def _boost_countries(
        self, codes: tuple[str, ...], candidates: IntArray, scores: FloatArray
    ) -> FloatArray:
        if not codes or not candidates.size:
            return scores
        factors = [self._country_factor(code) for code in codes[:3]]
        found = [factor for factor in factors if factor is not None]
        if not found:
            return scores
        factor = found[0][candidates]
        for other in found[1:]:
            factor = np.maximum(factor, other[candidates])
        return scores * factor

    def _country_factor(self, code: str) -> FloatArray | None:
        """Each story's boost for a query naming ``code``: one gather per query then,
        instead of set membership tests over the candidates."""
        factor = self._country_factors.get(code)
        if factor is not None:
            return factor
        mentioned = self._any_country.get(code)
        if mentioned is None:
            return None
        if len(self._country_factors) >= _COUNTRY_FACTORS:
            self._country_factors.clear()
        factor = np.ones(len(self._ids), dtype=np.float32)
        factor[np.frombuffer(mentioned, dtype=np.int32)] = 1.0 + OTHER_COUNTRY_BOOST
        main = self._main_country.get(code)
        if main is not None:
            factor[np.frombuffer(main, dtype=np.int32)] = 1.0 + MAIN_COUNTRY_BOOST
        self._country_factors[code] = factor
        return factor

    def _freshness(self) -> FloatArray | None:
        """Each story's age within the index, 0 (oldest or undated) to 1 (newest)."""
        span = self._newest - self._oldest
        if not span > 0:
            return None
        if self._fresh is None:
            times = np.frombuffer(self._times, dtype=np.float64)
            self._fresh = np.nan_to_num((times - self._oldest) / span, nan=0.0).astype(np.float32)
        return self._fresh

    def _best(self, candidates: IntArray, scores: FloatArray, limit: int) -> list[ScoredId]:
        if not candidates.size:
            return []
        size = candidates.size
        keep = min(size, limit + _EXTRA_CANDIDATES)
        if keep < size:
            # The ``keep`` highest scores (and any tied with the last): partitioning the
            # values and comparing costs half of partitioning their indices.
            lowest_kept = np.partition(scores, size - keep)[size - keep]
            top = (scores >= lowest_kept).nonzero()[0]
            candidates, scores = candidates[top], scores[top]
        final = scores.astype(np.float64)
        fresh = self._freshness()
        if fresh is not None:
            final += RECENCY_SHARE * float(final.max()) * fresh[candidates]
        order = np.argsort(-final, kind="stable")[:limit]
        # As Python numbers in one step each, not a numpy scalar per element.
        rows, scores = candidates[order].tolist(), final[order].tolist()
        return [
            ScoredId(self._ids[row], round(score, 4))
            for row, score in zip(rows, scores, strict=True)
        ]


def _distinct_sorted(parts: list[IntArray]) -> tuple[IntArray, npt.NDArray[np.intp]]:
    """The distinct ids of sorted id arrays, ascending, and where each input id went.

    ``np.unique(..., return_inverse=True)`` of their concatenation, through a stable
    sort: it merges the already sorted runs in linear time, where ``np.unique``'s
    quicksort sorts them from scratch (about half the time on a query's postings).
    """
    ids = np.concatenate(parts)
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    first = np.empty(ordered.size, dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(ordered.size, dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse
