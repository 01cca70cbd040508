"""How right the country tags are: the labelled set per language, and real headline pairs.

Run: ``.venv/bin/python bench/country_eval.py``. Prints precision and recall per language
on tests/fixtures/countries (headlines written for the project, seven languages), then,
when ../shared/corpora is present, how often a Kazakh government headline and its English
version get different tags, and how often the Kazakh one gets none where the English one
gets a country. Before the gazetteer work of issue 16: 76 of 401 pairs differed and 36
Kazakh titles got none.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_countries import load_headlines
from core.countries import find_countries
from tests.country_labels import load_labelled, score


def print_labelled() -> None:
    scores, misses = score(load_labelled(), find_countries)
    print("| language | headlines | precision | recall |")
    print("|---|---:|---:|---:|")
    for lang in ("en", "ru", "kk", "uz", "ky", "tg", "tk"):
        entry = scores[lang]
        print(f"| {lang} | {entry.items} | {entry.precision:.3f} | {entry.recall:.3f} |")
    for row, found in misses:
        print(f"  miss {row.lang}: wanted {sorted(row.codes)}, got {sorted(found)}: {row.text}")


def print_pairs(limit: int | None) -> None:
    try:
        pairs = [(kk, en) for kk, en in load_headlines() if kk and en]
    except OSError:
        print("../shared/corpora not found: real headline pairs skipped")
        return
    pairs = pairs[:limit] if limit else pairs
    differ = kk_none = 0
    for kk, en in pairs:
        kk_tags, en_tags = set(find_countries(kk)), set(find_countries(en))
        differ += kk_tags != en_tags
        kk_none += not kk_tags and bool(en_tags)
    print(
        f"kk/en headline pairs: {len(pairs)}; tagged differently: {differ} "
        f"({differ / len(pairs):.1%}); Kazakh untagged where English is tagged: {kk_none}"
    )


if __name__ == "__main__":
    print_labelled()
    print_pairs(401)
    print_pairs(None)
