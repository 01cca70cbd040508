"""Which index terms a query word may mean: its own stem, other spellings, and typos.

Every term gets a spelling skeleton (``normalize.skeleton``), so Latin and Cyrillic
spellings of a name meet ("Almaty"/"Алматы", "Tokayev"/"Токаев"). Typos are found with
rapidfuzz's Levenshtein distance over the skeletons of similar length that share the first
or the last letter, with one edit
allowed for words of five to seven letters and two from eight on.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from core.search.normalize import skeleton

MIN_FUZZY: Final = 5  # shorter words sit too close to other everyday words to guess at
LONG_WORD: Final = 8  # from here on two edits are allowed
MAX_VARIANTS: Final = 6
# How much a variant counts against the word itself: a shared skeleton is a spelling of
# the same name, an edit is a guess.
SAME_SKELETON: Final = 0.9
ONE_EDIT: Final = 0.75
TWO_EDITS: Final = 0.55


class Variant(NamedTuple):
    """An index term a query word may mean, and how much a match on it counts (0..1).

    A named tuple rather than a dataclass: a word's variants key the engine's cache of
    merged postings, and a tuple hashes in C.
    """

    term_id: int
    weight: float


class Vocabulary:
    """The index terms, by id, with their skeletons bucketed by length for typo search."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._by_skeleton: dict[str, list[int]] = {}
        # (length, first letter) and (length, last letter) -> distinct skeletons: a typo
        # search only reads the buckets that share one end with the word, since a slip
        # at both ends of a word at once is rare, and that keeps it to a few hundred.
        self._by_first: dict[tuple[int, str], list[str]] = {}
        self._by_last: dict[tuple[int, str], list[str]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def intern(self, term: str) -> int:
        """Return the id of ``term``, adding it when new."""
        term_id = self.ids.get(term)
        if term_id is not None:
            return term_id
        term_id = len(self.ids)
        self.ids[term] = term_id
        key = skeleton(term)
        same = self._by_skeleton.get(key)
        if same is None:
            self._by_skeleton[key] = [term_id]
            self._by_first.setdefault((len(key), key[0]), []).append(key)
            self._by_last.setdefault((len(key), key[-1]), []).append(key)
        else:
            same.append(term_id)
        return term_id

    def variants(
        self, term: str, word: str = "", *, fuzzy: bool = True, searched: set[str] | None = None
    ) -> list[Variant]:
        """Return the terms ``term`` may mean, best first; empty when nothing is close.

        Args:
            term: A query term (a stem, folded).
            word: The word it was stemmed from; its spelling is tried too, since a name
                stemmed in one language ("Токаев" -> "тока") keeps its shape in the other.

        Returns:
            The term itself (weight 1) when indexed, other terms with the same skeleton,
            then (when ``fuzzy``) terms within the allowed edits of the skeleton, at most
            ``MAX_VARIANTS``. Skeletons in ``searched`` were searched for typos already
            (for another reading of the same word) and are skipped; new ones are added.
        """
        found: dict[int, float] = {}
        own = self.ids.get(term)
        if own is not None:
            found[own] = 1.0
        keys = dict.fromkeys((skeleton(term), skeleton(word) if word else skeleton(term)))
        for key in keys:
            for term_id in self._by_skeleton.get(key, ()):
                found.setdefault(term_id, SAME_SKELETON)
        # A word the index has (as a term) is taken as written: the typo search, the
        # dearest part of reading a query, is for words the index has never seen.
        for key in keys if fuzzy and own is None else ():
            if searched is not None:
                if key in searched:
                    continue
                searched.add(key)
            if len(key) >= MIN_FUZZY and key.isascii():
                for term_id, weight in self._near(key):
                    if found.get(term_id, 0.0) < weight:
                        found[term_id] = weight
        ranked = sorted(found.items(), key=lambda item: -item[1])[:MAX_VARIANTS]
        return [Variant(term_id, weight) for term_id, weight in ranked]

    def _near(self, key: str) -> list[tuple[int, float]]:
        edits = 2 if len(key) >= LONG_WORD else 1
        near: list[tuple[int, float]] = []
        for length in range(len(key) - edits, len(key) + edits + 1):
            keys = self._by_first.get((length, key[0]), []) + self._by_last.get(
                (length, key[-1]), []
            )
            if not keys:
                continue
            matches = process.extract(
                key, keys, scorer=Levenshtein.distance, score_cutoff=edits, limit=MAX_VARIANTS
            )
            for other, distance, _ in matches:
                if distance:
                    weight = ONE_EDIT if distance == 1 else TWO_EDITS
                    near.extend((term_id, weight) for term_id in self._by_skeleton[other])
        return near
