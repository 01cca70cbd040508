"""Ranking quality and latency figures for the search benchmark."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quality:
    """hit@1, hit@3 and MRR@10 over a set of queries."""

    hit1: float
    hit3: float
    mrr: float
    queries: int


def rank_of(found: Sequence[int], relevant: set[int]) -> int | None:
    """1-based rank of the first relevant id among the first ten, or None."""
    for position, story_id in enumerate(found[:10], start=1):
        if story_id in relevant:
            return position
    return None


def quality(ranks: Sequence[int | None]) -> Quality:
    """Summarise the ranks of the first right answer of each query."""
    total = len(ranks) or 1
    return Quality(
        hit1=sum(1 for r in ranks if r == 1) / total,
        hit3=sum(1 for r in ranks if r is not None and r <= 3) / total,
        mrr=sum(1 / r for r in ranks if r is not None) / total,
        queries=len(ranks),
    )


def percentiles(seconds: Sequence[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    if len(seconds) < 2:
        only = seconds[0] * 1000 if seconds else 0.0
        return only, only
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000
