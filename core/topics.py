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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from core.countries import lookup_country
from core.search.fuzzy import Vocabulary
from core.search.normalize import is_cyrillic, raw_words, split_word
from core.search.query import RELATED_WEIGHT, QueryReader
from core.search.stemming import TAJIK, TURKIC, Analyzer, cyrillic_family

# Measured on bench/follow_eval (tuning half); see the README's "Following topics".
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
    other words remain: a country's name ("uzbekistan") is a word of the topic, matched
    in any spelling like the others.
    """
    parts = text.split()
    countries: list[str] = []
    while len(parts) > 1 and _CODE_RE.match(parts[-1]):
        code = lookup_country(parts[-1].upper())
        if code is None:
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
    """Topics indexed by their terms; matches stories against all of them at once."""

    def __init__(self, analyzer: Analyzer | None = None) -> None:
        self._analyzer = analyzer or Analyzer()
        self._vocabulary = Vocabulary()
        self._reader = QueryReader(self._analyzer, self._vocabulary)
        # term id -> the (topic id, slot) pairs whose slot the term stands for
        self._postings: list[list[tuple[int, int]]] = []
        self._slots: dict[int, int] = {}
        self._countries: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._slots)

    @property
    def terms(self) -> int:
        """How many distinct terms the topics use."""
        return len(self._vocabulary)

    def slots(self, words: str) -> list[list[str]]:
        """The terms of each word of a topic; empty when only stop words (or nothing) remain.

        A Cyrillic word also gives its Kazakh/Kyrgyz and Tajik stems, so "Павлодарда" and
        "Павлодар" meet whichever stemmer reads the story.
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
                terms = [term]
                if is_cyrillic(word):
                    for other in (TURKIC, TAJIK):
                        stem = self._analyzer.family_term(word, other)
                        if stem and stem not in terms:
                            terms.append(stem)
                found.append(terms)
        return found[:MAX_TOPIC_WORDS]

    def add(self, topic: Topic) -> bool:
        """Index ``topic``; False (and nothing indexed) when it has no words to match."""
        if topic.id in self._slots:
            return True
        slots = self.slots(topic.words)
        if not slots:
            return False
        for slot, terms in enumerate(slots):
            for term in terms:
                term_id = self._vocabulary.intern(term)
                if term_id == len(self._postings):
                    self._postings.append([])
                self._postings[term_id].append((topic.id, slot))
        self._slots[topic.id] = len(slots)
        if topic.countries:
            self._countries[topic.id] = frozenset(topic.countries)
        return True

    def add_all(self, topics: Iterable[Topic]) -> int:
        """Index many topics; returns how many had words to match."""
        return sum(self.add(topic) for topic in topics)

    def scores(self, story: StoryText) -> dict[int, float]:
        """Every candidate topic's score for ``story`` (those sharing no word are left out)."""
        if not self._slots:
            return {}
        reached = self._story_terms(story)
        best: dict[tuple[int, int], float] = {}
        for term_id, weight in reached.items():
            for key in self._postings[term_id]:
                if best.get(key, 0.0) < weight:
                    best[key] = weight
        totals: dict[int, float] = {}
        for (topic_id, _), weight in best.items():
            totals[topic_id] = totals.get(topic_id, 0.0) + weight
        story_countries = set(story.countries)
        found: dict[int, float] = {}
        for topic_id, total in totals.items():
            wanted = self._countries.get(topic_id)
            if wanted is not None and not wanted & story_countries:
                continue
            found[topic_id] = round(total / self._slots[topic_id], 4)
        return found

    def match(self, story: StoryText, threshold: float = MATCH_THRESHOLD) -> list[TopicMatch]:
        """The topics ``story`` matches, best first."""
        found = [
            TopicMatch(topic_id, story.id, score)
            for topic_id, score in self.scores(story).items()
            if score >= threshold
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
