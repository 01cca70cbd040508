"""Russian word forms the stemmer keeps apart, guessed from spelling for the glossary."""

from __future__ import annotations

from typing import Final

from core.search.normalize import is_cyrillic

_FLEETING: Final = ("ок", "ек", "ец")
_MIN_FLEETING: Final = 5
_VOWELS: Final = frozenset("аеиоуыэюя")
_MIN_NAME: Final = 4
_ADJECTIVE_ENDINGS: Final = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")


def oblique(word: str) -> str | None:
    """A Russian noun's genitive when its last vowel drops ("хлопок" -> "хлопка").

    The stemmer keeps that vowel in the written form and not in the others ("хлопок",
    "хлопк"), so a group written with "хлопок" would miss "урожай хлопка".
    """
    if len(word) >= _MIN_FLEETING and is_cyrillic(word) and word.endswith(_FLEETING):
        return word[:-2] + word[-1] + "а"
    return None


def name_adjectives(word: str) -> tuple[str, ...]:
    """The Russian adjectives a name makes ("Андижан" -> "андижанский", "Арал" ->
    "аральский", "Алматы" -> "алматинский"), so "Andijon" finds "андижанский плов"."""
    if len(word) < _MIN_NAME or not is_cyrillic(word) or word.endswith(_ADJECTIVE_ENDINGS):
        return ()
    base = word[:-1] if word[-1] in _VOWELS else word
    return (base + "ский", base + "ьский", base + "инский")
