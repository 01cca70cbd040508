"""The loose country match compares only names of reachable length, and keeps each word's
answer: neither may change what it finds."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from core.countries import lookup_country
from core.country_lenient import LENIENT_CUTOFF, lenient_match
from core.gazetteer_tables import get_tables, normalise


def _every_name(word: str) -> str | None:
    """The plain way: every name compared."""
    tables = get_tables()
    token = normalise(word)
    if len(token) < 5:
        return None
    hit = process.extractOne(
        token, tables.lenient_names, scorer=fuzz.ratio, score_cutoff=LENIENT_CUTOFF
    )
    return None if hit is None else tables.lenient_codes[hit[2]]


def test_the_length_window_finds_what_comparing_every_name_finds() -> None:
    names = get_tables().lenient_names
    words = [n[:-1] + "x" for n in names] + [n + "ыма" for n in names] + [n[1:] for n in names]
    words += ["cooperatives", "uzbekistn", "кыргызстн", "kazahstan", "pictures", "республикасы"]
    for word in words:
        expected = _every_name(word)
        assert lenient_match([word], get_tables()) == expected, word
        assert lenient_match([word], get_tables()) == expected, word  # kept, same answer


def test_misspelled_countries_asked_alone_are_still_found() -> None:
    assert lookup_country("uzbekistn") == "UZ"
    assert lookup_country("Kyrgyztan") == "KG"
    assert lookup_country("cooperatives") is None
