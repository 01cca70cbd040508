"""The labelled country set (tests/fixtures/countries/labelled_*.tsv) and its scoring.

Each file holds headlines written for this project, one per line:
``lang<TAB>codes<TAB>text``, codes comma-separated or "-" for none. A tag counts as
right when it is among the line's codes (precision) and a code as found when the
gazetteer tags it (recall), over every (headline, country) pair of a language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.paths import FIXTURES

LABELS = FIXTURES / "countries"


@dataclass(frozen=True, slots=True)
class Labelled:
    lang: str
    codes: frozenset[str]
    text: str


@dataclass(slots=True)
class Score:
    items: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0

    @property
    def precision(self) -> float:
        tagged = self.right + self.wrong
        return self.right / tagged if tagged else 1.0

    @property
    def recall(self) -> float:
        wanted = self.right + self.missed
        return self.right / wanted if wanted else 1.0


def load_labelled(folder: Path = LABELS) -> list[Labelled]:
    """Every labelled headline of every language file."""
    rows: list[Labelled] = []
    for path in sorted(folder.glob("labelled_*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            lang, codes, text = line.split("\t")
            wanted = frozenset() if codes == "-" else frozenset(codes.split(","))
            rows.append(Labelled(lang, wanted, text))
    return rows


def score(
    rows: Iterable[Labelled], tagger: Callable[[str], Iterable[str]]
) -> tuple[dict[str, Score], list[tuple[Labelled, frozenset[str]]]]:
    """Per-language scores of ``tagger`` and the headlines it got wrong."""
    scores: dict[str, Score] = {}
    misses: list[tuple[Labelled, frozenset[str]]] = []
    for row in rows:
        found = frozenset(tagger(row.text))
        entry = scores.setdefault(row.lang, Score())
        entry.items += 1
        entry.right += len(found & row.codes)
        entry.wrong += len(found - row.codes)
        entry.missed += len(row.codes - found)
        if found != row.codes:
            misses.append((row, found))
    return scores, misses
