"""How fast core.countries.find_countries tags real headlines and stories.

Run: ``.venv/bin/python bench/bench_countries.py``. Prints calls per second for headline-sized
calls (the Kazakh and English government headlines) and for whole stories (Russian posts with
full text), with a cold and a warm word cache, and the cost relative to a baseline measured in
the same run: casefolding and splitting the same texts into words, the least any matcher must
do. Benchmarks print; they never assert.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import kz_gov_stories, upl_stories
from core import countries
from core.countries import find_countries

_WORDS = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
LONG_TEXT = 5_000


def load_headlines() -> list[tuple[str, str]]:
    """Return (Kazakh, English) headline pairs, by their line in the corpus."""
    pairs: dict[object, dict[object, str]] = {}
    for story in kz_gov_stories():
        pairs.setdefault(story["n"], {})[story["lang"]] = str(story["title"])
    return [(pair.get("kk", ""), pair.get("en", "")) for pair in pairs.values()]


def load_stories() -> list[tuple[str, str]]:
    """Return (title, full text) of every Russian story."""
    return [(str(story["title"]), str(story["text"])) for story in upl_stories()]


def baseline(title: str, text: str = "") -> int:
    """Do the unavoidable part of the work: casefold and split into words."""
    return len(_WORDS.findall(title.casefold())) + len(_WORDS.findall(text.casefold()))


def timed(call: Callable[[str, str], object], items: Sequence[tuple[str, str]]) -> float:
    """Return the seconds one pass of ``call`` over ``items`` takes."""
    start = time.perf_counter()
    for title, text in items:
        call(title, text)
    return time.perf_counter() - start


def report(label: str, items: Sequence[tuple[str, str]]) -> None:
    """Print cold and warm calls per second of find_countries, and the ratio to the baseline."""
    countries._TOKEN_CACHE.clear()  # measure a cold cache first: a fresh process
    cold = timed(find_countries, items)
    warm = min(timed(find_countries, items) for _ in range(3))
    base = min(timed(baseline, items) for _ in range(3))
    calls = len(items)
    print(
        f"{label:<44} {calls:>6} calls  cold {calls / cold:>9,.0f}/s  "
        f"warm {calls / warm:>9,.0f}/s  baseline {calls / base:>9,.0f}/s  "
        f"cost x{warm / base:.1f} of baseline"
    )


def report_long_texts(stories: Sequence[tuple[str, str]]) -> None:
    """Print the worst and mean time of one call on a 5,000-character text."""
    texts = [text[:LONG_TEXT] for _, text in stories if len(text) >= LONG_TEXT]
    if not texts:
        print("no story is 5,000 characters long")
        return
    cold: list[float] = []
    for text in texts:
        countries._TOKEN_CACHE.clear()
        start = time.perf_counter()
        find_countries("", text)
        cold.append(time.perf_counter() - start)
    warm = [timed(find_countries, [("", text)]) for text in texts for _ in range(5)]
    base = [timed(baseline, [("", text)]) for text in texts for _ in range(5)]
    print(
        f"{len(texts)} texts of {LONG_TEXT} chars: cold worst {max(cold) * 1e3:.2f} ms, "
        f"warm mean {sum(warm) / len(warm) * 1e3:.3f} ms, "
        f"baseline mean {sum(base) / len(base) * 1e3:.3f} ms"
    )


def main() -> None:
    """Run every benchmark over the shared corpora."""
    headlines = load_headlines()
    stories = load_stories()

    start = time.perf_counter()
    find_countries("warm-up")  # builds the tables once, as the first story would
    print(f"tables built in {(time.perf_counter() - start) * 1e3:.0f} ms")

    report("kz_gov headlines, Kazakh", [(kazakh, "") for kazakh, _ in headlines])
    report("kz_gov headlines, English", [(english, "") for _, english in headlines])
    report("kz_gov headline pairs (Kazakh + English)", headlines)
    report("upl.uz stories, title + full text", stories)
    report_long_texts(stories)


if __name__ == "__main__":
    main()
