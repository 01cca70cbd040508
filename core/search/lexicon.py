"""The Kazakh-English word table learned from parallel headlines (see its file's header).

``bench/build_kk_en_lexicon.py`` writes ``kk_en_lexicon.txt``: Kazakh term, English term
and the Dice score of the headlines they share. Read both ways, it lets a Kazakh (or
Kyrgyz, which shares most stems) question reach an English story and back.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

LEXICON_FILE: Final = Path(__file__).with_name("kk_en_lexicon.txt")


@cache
def load_lexicon() -> dict[str, tuple[tuple[str, float], ...]]:
    """Return term -> (other language's term, Dice score), both directions, best first.

    Returns:
        An empty table when the file is missing, so the engine still answers.
    """
    pairs: dict[str, list[tuple[str, float]]] = {}
    try:
        text = LEXICON_FILE.read_text(encoding="utf-8")
    except OSError:
        return {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or line.startswith("#"):
            continue
        kazakh, english, score = parts[0], parts[1], float(parts[2])
        pairs.setdefault(kazakh, []).append((english, score))
        pairs.setdefault(english, []).append((kazakh, score))
    return {
        term: tuple(sorted(others, key=lambda pair: -pair[1])) for term, others in pairs.items()
    }
