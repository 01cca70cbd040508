"""Followed topics: an inverted index from topic terms to topics, matched by each new story.

A topic ("Rogun", "газ цены", "visa-free travel uzbekistan") is read by the search
engine's analyzer into word slots; each slot's terms go into a small vocabulary of its
own, and an inverted index maps each term to the (topic, slot) pairs that use it. A new
story is then read the way search reads a query, with the roles swapped: every word of
its title and lead is stemmed, read in the other scripts, looked up in the glossary and
the learned lexicon, and searched for typos (``core.search.query.QueryReader``) against
the topics' vocabulary. The terms it reaches name the candidate topics through the index,
so matching a story touches only topics that share a word with it, never all of them.

A candidate's score is the share of its slots the story covers, each slot counting the
best weight it was reached with times where it was found (the title counts fully, the
lead less). The word itself, another spelling, a typo and a glossary translation all
count fully (search ranks them apart; a follower asked for all of them); a weaker learned
translation counts less.
A topic matches at ``MATCH_THRESHOLD`` and up; the threshold is measured on the labelled
set in ``bench/follow_eval``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from core.countries import CENTRAL_ASIA, lookup_country
from core.search.fuzzy import Vocabulary
from core.search.normalize import raw_words, split_word
from core.search.query import RELATED_WEIGHT, QueryReader
from core.search.stemming import Analyzer, cyrillic_family

# Measured on bench/follow_eval (tuning half); see "Following topics" in docs/digests-and-alerts.md.
MATCH_THRESHOLD: Final = 0.7
# Words a topic may have (after stop words) and characters it may be written with.
MAX_TOPIC_WORDS: Final = 6
MAX_TOPIC_CHARS: Final = 100
# The lead of a story's text read besides its title and summary: where a story says what
# it is about. Farther down, a passing mention is not the story's topic.
LEAD_CHARS: Final = 600
BODY_WEIGHT: Final = 0.85
# Search ranks a translation (``RELATED_WEIGHT``) or a typo below the word itself; for a
# topic they are the same word, so a variant this strong covers its slot fully.
FULL_VARIANT: Final = RELATED_WEIGHT
# Story words are read in groups this size: the query reader takes a bounded query.
_CHUNK_WORDS: Final = 10
_CODE_RE: Final = re.compile(r"^[A-Za-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class TopicWords:
    """What a topic's text says: the words to match and the countries stories must name."""

    words: str
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """A followed topic as the index needs it."""

    id: int
    words: str
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryText:
    """What matching reads of a story: title, lead (summary and text's start), countries."""

    id: int
    title: str
    body: str = ""
    countries: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A story that matches a topic, with its score (0..1)."""

    topic_id: int
    story_id: int
    score: float


def split_topic(text: str) -> TopicWords:
    """Split ``/follow`` words into the topic and trailing country codes ("gas prices kz").

    Only two- or three-letter codes at the end are taken as countries, and only while
    other words remain: a Central Asian code in any case ("kz", "uzb"), another country's
    only in capitals ("RU", "CN"), since "tv" or "car" in small letters are words. A
    country's name ("uzbekistan") is a word of the topic, matched in any spelling.
    """
    parts = text.split()
    countries: list[str] = []
    while len(parts) > 1 and _CODE_RE.match(parts[-1]):
        code = lookup_country(parts[-1].upper())
        if code is None or (code not in CENTRAL_ASIA and not parts[-1].isupper()):
            break
        if code not in countries:
            countries.insert(0, code)
        parts.pop()
    return TopicWords(" ".join(parts), tuple(countries))


def story_lead(summary: str, text: str) -> str:
    """The part of a story's body matching reads: the summary and the text's start."""
    lead = text[:LEAD_CHARS]
    return (
        f"{summary}\n{lead}" if summary and not lead.startswith(summary[:80]) else lead or summary
    )


class TopicIndex:
    """Topics indexed by their terms; matches stories against all of them at once.

    A topic is indexed only under the slots a matching story cannot miss all of: with
    ``k`` slots and a threshold ``t``, a match covers at least ``ceil(t * k)`` of them, so
    it covers at least one of any ``k - ceil(t * k) + 1``; those are taken among the slots
    fewest other topics use (rare words name few stories). A two-word topic thus sits in
    the posting list of its rarer word only, and a story with a common word ("Kazakhstan")
    does not touch every topic that has it. Candidates are then scored on all their slots.
    """

    def __init__(
        self, analyzer: Analyzer | None = None, threshold: float = MATCH_THRESHOLD
    ) -> None:
        self._analyzer = analyzer or Analyzer()
        self._vocabulary = Vocabulary()
        self._reader = QueryReader(self._analyzer, self._vocabulary)
        self._threshold = threshold
        # term id -> the topics indexed under it
        self._postings: list[list[int]] = []
        # topic id -> its slots, each the term ids standing for one word
        self._slots: dict[int, tuple[tuple[int, ...], ...]] = {}
        self._countries: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._slots)

    @property
    def terms(self) -> int:
        """How many distinct terms the topics use."""
        return len(self._vocabulary)

    def slots(self, words: str) -> list[list[str]]:
        """The terms of each word of a topic; empty when only stop words (or nothing) remain.

        A word also gives its stems in the region's other languages
        (``Analyzer.other_terms``), so "Павлодарда" and "Павлодар" meet whichever stemmer
        reads the story.
        """
        family = cyrillic_family(words)
        found: list[list[str]] = []
        seen: set[str] = set()
        for raw in raw_words(words[:MAX_TOPIC_CHARS]):
            parts = split_word(raw)
            # "visa-free" is two slots, as a story's "visa-free" or "visa free" gives both.
            for word in parts[:-1] if len(parts) > 1 else parts:
                term = self._analyzer.family_term(word, family)
                if term is None or term in seen:
                    continue
                seen.add(term)
                # "Аральское" is also "арал", "hosili" also "hosil".
                terms = [term]
                for stem in self._analyzer.other_terms(word):
                    if stem not in terms:
                        terms.append(stem)
                found.append(terms)
        return found[:MAX_TOPIC_WORDS]

    def add(self, topic: Topic) -> bool:
        """Index ``topic``; False (and nothing indexed) when it has no words to match."""
        if topic.id in self._slots:
            return True
        words = self.slots(topic.words)
        if not words:
            return False
        slots = tuple(tuple(self._intern(term) for term in terms) for terms in words)
        needed = max(1, math.ceil(self._threshold * len(slots) - 1e-9))
        rarest = sorted(slots, key=lambda ids: sum(len(self._postings[i]) for i in ids))
        for ids in rarest[: len(slots) - needed + 1]:
            for term_id in ids:
                self._postings[term_id].append(topic.id)
        self._slots[topic.id] = slots
        if topic.countries:
            self._countries[topic.id] = frozenset(topic.countries)
        return True

    def _intern(self, term: str) -> int:
        term_id = self._vocabulary.intern(term)
        if term_id == len(self._postings):
            self._postings.append([])
        return term_id

    def add_all(self, topics: Iterable[Topic]) -> int:
        """Index many topics; returns how many had words to match."""
        return sum(self.add(topic) for topic in topics)

    def scores(self, story: StoryText) -> dict[int, float]:
        """The score of every topic reached through its indexed slots (the others cannot
        reach the index's threshold)."""
        if not self._slots:
            return {}
        reached = self._story_terms(story)
        candidates: set[int] = set()
        for term_id in reached:
            candidates.update(self._postings[term_id])
        story_countries = set(story.countries)
        weight = reached.get
        found: dict[int, float] = {}
        for topic_id in candidates:
            wanted = self._countries.get(topic_id)
            if wanted is not None and not wanted & story_countries:
                continue
            slots = self._slots[topic_id]
            total = 0.0
            for ids in slots:
                total += weight(ids[0], 0.0) if len(ids) == 1 else max(weight(i, 0.0) for i in ids)
            found[topic_id] = total / len(slots)
        return found

    def match(self, story: StoryText) -> list[TopicMatch]:
        """The topics ``story`` matches (score at the index's threshold or more), best first."""
        found = [
            TopicMatch(topic_id, story.id, round(score, 4))
            for topic_id, score in self.scores(story).items()
            if score >= self._threshold - 1e-9
        ]
        return sorted(found, key=lambda match: (-match.score, match.topic_id))

    def _story_terms(self, story: StoryText) -> dict[int, float]:
        """The topic terms a story's words reach, each with its best weight."""
        reached: dict[int, float] = {}
        for text, factor in ((story.title, 1.0), (story.body, BODY_WEIGHT)):
            words = list(raw_words(text))
            for start in range(0, len(words), _CHUNK_WORDS):
                parsed = self._reader.parse(" ".join(words[start : start + _CHUNK_WORDS]))
                for term in parsed.terms:
                    for variant in term.variants:
                        weight = min(1.0, variant.weight / FULL_VARIANT) * factor
                        if reached.get(variant.term_id, 0.0) < weight:
                            reached[variant.term_id] = weight
        return reached
