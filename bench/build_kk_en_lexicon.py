"""Learn the Kazakh-English word table of the search engine from parallel headlines.

    .venv/bin/python bench/build_kk_en_lexicon.py     # writes core/search/kk_en_lexicon.txt

Reads ``../shared/corpora/kz_gov_titles_kk_en.tsv`` (11,295 government headlines, each
in Kazakh and English), turns every headline into index terms with the engine's own
analyzer (Kazakh suffixes off, English stems), and scores each Kazakh term against each
English term by the Dice coefficient of the headlines they share: 2·both / (kk + en).
A pair is kept when it shares at least ``MIN_SHARED`` headlines, scores at least
``MIN_DICE``, and is among the ``PER_TERM`` best of its Kazakh term. Only the word pairs
and their scores are written, never a sentence of the corpus. Run it again whenever the
analyzer changes, since the table speaks in its terms.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpora import CORPORA  # noqa: E402
from core.search.normalize import is_cyrillic, tokens  # noqa: E402
from core.search.stemming import TURKIC, Analyzer  # noqa: E402

SOURCE = CORPORA / "kz_gov_titles_kk_en.tsv"
TARGET = ROOT / "core" / "search" / "kk_en_lexicon.txt"
MIN_SHARED = 3
MIN_DICE = 0.2
PER_TERM = 3


def _terms(text: str, analyzer: Analyzer, kazakh: bool) -> set[str]:
    found = set()
    for word in tokens(text):
        if word.isdigit() or not word[0].isalpha():
            continue
        term = analyzer.family_term(word, TURKIC) if kazakh else analyzer.term(word)
        if term and len(term) >= 2 and (is_cyrillic(term) == kazakh):
            found.add(term)
    return found


def learn(lines: list[str]) -> list[tuple[str, str, float]]:
    """Return (Kazakh term, English term, Dice score) pairs, best first per Kazakh term."""
    analyzer = Analyzer()
    kk_count: Counter[str] = Counter()
    en_count: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    for line in lines:
        kazakh, _, english = line.partition("\t")
        if not kazakh.strip() or not english.strip():
            continue
        kk_terms = _terms(kazakh, analyzer, kazakh=True)
        en_terms = _terms(english, analyzer, kazakh=False)
        kk_count.update(kk_terms)
        en_count.update(en_terms)
        both.update((k, e) for k in kk_terms for e in en_terms)
    best: dict[str, list[tuple[float, str]]] = {}
    for (kk, en), shared in both.items():
        if shared < MIN_SHARED:
            continue
        dice = 2 * shared / (kk_count[kk] + en_count[en])
        if dice >= MIN_DICE:
            best.setdefault(kk, []).append((dice, en))
    pairs = []
    for kk in sorted(best):
        for dice, en in sorted(best[kk], reverse=True)[:PER_TERM]:
            pairs.append((kk, en, round(dice, 3)))
    return pairs


def main() -> None:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    pairs = learn(lines)
    header = (
        "# Kazakh-English search terms learned by bench/build_kk_en_lexicon.py from the\n"
        f"# {len(lines):,} parallel government headlines of kz_gov_titles_kk_en.tsv (Akorda and\n"
        "# government news, Kazakh and English). Word pairs and Dice scores only.\n"
        "# kazakh_term english_term dice\n"
    )
    body = "".join(f"{kk} {en} {dice}\n" for kk, en, dice in pairs)
    TARGET.write_text(header + body, encoding="utf-8")
    print(f"{len(pairs):,} pairs for {len({p[0] for p in pairs}):,} Kazakh terms -> {TARGET}")


if __name__ == "__main__":
    main()
