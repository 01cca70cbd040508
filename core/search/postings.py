"""Compact postings with BM25F weights: each field normalised by its own average length.

A posting is (document, term) with the term's count in the title, the summary and the
text. Its weight is BM25F's saturated pseudo-frequency: the counts are normalised by the
length of their own field against that field's average over the documents that have it,
weighted per field, summed, then saturated. A word in a 5,000-character story is thus
judged against other stories' texts, not against bare headlines, which is where plain
BM25 over the concatenated fields loses a rare, telling word.

The weight depends only on the document and the term, so it is computed once, at
indexing, and a query only adds up weights times IDF. Postings live in flat arrays; a
compaction sorts them by term into one contiguous block (CSR), and postings added after
it wait in a small tail until the next one.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

FIELDS: Final = 3  # title, summary, text
_MAX_COUNT: Final = 65_535

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class FieldModel:
    """BM25F parameters: per-field weights and length normalisation, and saturation ``k1``."""

    weights: tuple[float, float, float] = (2.6, 1.4, 1.0)
    b: tuple[float, float, float] = (0.4, 0.6, 0.75)
    k1: float = 1.2


class Postings:
    """All postings of an index, compacted by term, plus a tail of recent ones."""

    def __init__(self, model: FieldModel) -> None:
        self.model = model
        self._doc = array("i")
        self._term = array("i")
        self._counts = tuple(array("H") for _ in range(FIELDS))
        self._lengths = tuple(array("I") for _ in range(FIELDS))  # per document
        self._average = [1.0] * FIELDS
        # The compacted block: postings of term t are [offsets[t], offsets[t + 1]).
        self._offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._docs: IntArray = np.zeros(0, dtype=np.int32)
        self._weights: FloatArray = np.zeros(0, dtype=np.float32)
        self._compacted = 0  # postings [0, compacted) are in the block
        # The tail, sorted by term when first searched after an addition.
        self._tail: tuple[IntArray, IntArray, FloatArray] | None = None

    def __len__(self) -> int:
        return len(self._doc)

    @property
    def tail_size(self) -> int:
        """How many postings wait outside the compacted block."""
        return len(self._doc) - self._compacted

    def add(
        self, doc: int, title: dict[int, int], summary: dict[int, int], text: dict[int, int]
    ) -> None:
        """Add document ``doc`` (the next index) with its term counts per field."""
        fields = (title, summary, text)
        for field, counts in enumerate(fields):
            self._lengths[field].append(sum(counts.values()))
        bare = not summary and not text
        # A bare headline, the most common case, needs no merging of fields.
        terms = list(title) if bare else list(title.keys() | summary.keys() | text.keys())
        self._doc.extend(array("i", [doc]) * len(terms))
        self._term.fromlist(terms)
        for field, counts in enumerate(fields):
            column = self._counts[field]
            if not counts:
                column.extend(array("H", [0]) * len(terms))
                continue
            values = (
                list(counts.values())
                if bare  # then the terms are the title's keys, in the same order
                else [counts.get(term, 0) for term in terms]
            )
            if max(values) > _MAX_COUNT:  # only a pathological text repeats a word this often
                values = [min(value, _MAX_COUNT) for value in values]
            column.fromlist(values)
        self._tail = None

    def _weigh(self, start: int) -> FloatArray:
        """BM25F weights of postings ``[start:]`` with the current average field lengths."""
        docs = np.frombuffer(self._doc, dtype=np.int32)[start:]
        pseudo = np.zeros(len(docs), dtype=np.float64)
        model = self.model
        for field in range(FIELDS):
            counts = np.frombuffer(self._counts[field], dtype=np.uint16)[start:]
            length = np.frombuffer(self._lengths[field], dtype=np.uint32)[docs]
            norm = model.weights[field] / (
                1.0 - model.b[field] + model.b[field] * length / self._average[field]
            )
            pseudo += counts * norm
        return (pseudo / (model.k1 + pseudo)).astype(np.float32)

    def compact(self, terms: int) -> None:
        """Recompute every weight with the current averages and sort all postings by term.

        Args:
            terms: How many terms the vocabulary has (term ids are below it).
        """
        for field in range(FIELDS):
            column = np.frombuffer(self._lengths[field], dtype=np.uint32)
            present = column[column > 0]
            self._average[field] = float(present.mean()) if present.size else 1.0
        weights = self._weigh(0)
        term_ids = np.frombuffer(self._term, dtype=np.int32)
        order = np.argsort(term_ids, kind="stable")
        self._docs = np.frombuffer(self._doc, dtype=np.int32)[order]
        self._weights = weights[order]
        sizes = np.bincount(term_ids, minlength=terms)
        self._offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        self._compacted = len(self._doc)
        self._tail = None

    def _tail_block(self) -> tuple[IntArray, IntArray, FloatArray]:
        if self._tail is None:
            start = self._compacted
            term_ids = np.frombuffer(self._term, dtype=np.int32)[start:]
            order = np.argsort(term_ids, kind="stable")
            docs = np.frombuffer(self._doc, dtype=np.int32)[start:][order]
            self._tail = (term_ids[order], docs, self._weigh(start)[order])
        return self._tail

    def lookup(self, term: int) -> tuple[IntArray, FloatArray]:
        """Return the documents that contain ``term`` and the term's weight in each."""
        docs: IntArray = np.zeros(0, dtype=np.int32)
        weights: FloatArray = np.zeros(0, dtype=np.float32)
        if term + 1 < len(self._offsets):
            start, end = int(self._offsets[term]), int(self._offsets[term + 1])
            docs, weights = self._docs[start:end], self._weights[start:end]
        if self._compacted < len(self._doc):
            tail_terms, tail_docs, tail_weights = self._tail_block()
            left = int(np.searchsorted(tail_terms, term, side="left"))
            right = int(np.searchsorted(tail_terms, term, side="right"))
            if right > left:
                docs = np.concatenate((docs, tail_docs[left:right]))
                weights = np.concatenate((weights, tail_weights[left:right]))
        return docs, weights
