"""Answers about single words, remembered: the words people type repeat from message to
message, and the parsers read each one several times."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Final, TypeVar

# The latest words kept, and the longest kept: a flood of long garbage cannot fill memory.
WORDS_REMEMBERED: Final = 4096
REMEMBERED_CHARS: Final = 40

_Answer = TypeVar("_Answer")


def remembered(function: Callable[[str], _Answer]) -> Callable[[str], _Answer]:
    """``function`` of a word, with its answers for the latest short words kept."""
    kept = lru_cache(maxsize=WORDS_REMEMBERED)(function)

    @wraps(function)
    def answer(word: str) -> _Answer:
        return kept(word) if len(word) <= REMEMBERED_CHARS else function(word)

    return answer
