"""The loose match of a country name a user typed: close spellings of our own name forms.

Split from ``core.countries``, which calls it when no name matches exactly. Every short
text the bot gets is checked for a country before it is searched, so this is on the path
of every question: names are compared only when their length can reach the cutoff, and
each word's answer is kept.
"""

from __future__ import annotations

from typing import Final

from rapidfuzz import fuzz, process

from core.gazetteer_tables import Tables, normalise

LENIENT_CUTOFF: Final = 85.0


def lenient_match(raw_words: list[str], tables: Tables) -> str | None:
    """The country whose name is closest to one of ``raw_words`` (``fuzz.ratio`` of at
    least ``LENIENT_CUTOFF``), or None: a user who asks for one country may mangle it
    more than a journalist does."""
    best: tuple[float, str] | None = None
    for word in raw_words:
        token = normalise(word)
        if len(token) < 5:
            continue
        hit = _lenient_token(token, tables)
        if hit is not None and (best is None or hit[0] > best[0]):
            best = hit
    return best[1] if best else None


# Word -> (the tables, its closest country name as (score, code), or None).
_LENIENT_HITS: dict[str, tuple[Tables, tuple[float, str] | None]] = {}
_LENIENT_KEPT: Final = 8192


def _lenient_token(token: str, tables: Tables) -> tuple[float, str] | None:
    """The closest country name to one word (score, code), or None; kept per word, since
    every short text is checked for a country name before it is searched and the same
    words come back all the time."""
    known = _LENIENT_HITS.get(token)
    if known is not None and known[0] is tables:
        return known[1]
    names, codes = _lenient_window(len(token), tables)
    found = process.extractOne(token, names, scorer=fuzz.ratio, score_cutoff=LENIENT_CUTOFF)
    hit = None if found is None else (float(found[1]), codes[found[2]])
    if len(_LENIENT_HITS) >= _LENIENT_KEPT:
        _LENIENT_HITS.clear()
    _LENIENT_HITS[token] = (tables, hit)
    return hit


# Word length -> (the tables, the names a word of that length can reach, their codes).
_WINDOWS: dict[int, tuple[Tables, list[str], list[str]]] = {}


def _lenient_window(length: int, tables: Tables) -> tuple[list[str], list[str]]:
    """The lenient names (and their codes, in the same order) a word of ``length`` letters
    can reach: ``fuzz.ratio`` is at most 200 * shorter / (sum of lengths), so names of
    other lengths can never pass the cutoff and are not compared at all."""
    window = _WINDOWS.get(length)
    if window is None or window[0] is not tables:
        reach = LENIENT_CUTOFF / (200.0 - LENIENT_CUTOFF)
        chosen = [
            i
            for i, name in enumerate(tables.lenient_names)
            if min(length, len(name)) >= reach * max(length, len(name)) - 1e-9
        ]
        names = [tables.lenient_names[i] for i in chosen]
        window = (tables, names, [tables.lenient_codes[i] for i in chosen])
        _WINDOWS[length] = window
    return window[1], window[2]
