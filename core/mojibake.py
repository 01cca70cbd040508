"""Is a piece of text readable, or bytes decoded with the wrong encoding?

Wrongly decoded Cyrillic has tell-tale shapes that real text in any of our languages
almost never has: words made only of Latin-1 accented letters ("ÐÅÒÅÖÉÔØ", KOI8-R or
windows-1251 read as Latin-1), UTF-8 read as windows-1252 ("ÐŸÑ€Ð¸"), case flipping
inside words ("лБЛ пЕРЕЖИТЬ", KOI8-R read as windows-1251), C1 control characters and
the replacement character U+FFFD.
"""

from __future__ import annotations

import itertools
import re
from typing import Final

__all__ = ["garble_share", "is_garbled"]

_WORD = re.compile(r"[^\W\d_]+")
_LATIN1_LETTERS: Final = re.compile(r"[\u00c0-\u00ff]")
# UTF-8 lead bytes (C2-C3, D0-D1) read as windows-1252, followed by a continuation byte.
_UTF8_AS_CP1252: Final = re.compile(
    r"[\u00c2\u00c3\u00d0\u00d1][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    r"\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    r"\u20ac\u2122]"
)
# UTF-8 Cyrillic read as windows-1251: "Р" or "С" then a letter or sign of 0x80-0xBF.
_UTF8_AS_CP1251: Final = re.compile(r"[РС][ЂЃѓ‚‰Љ‹ЊЌЋЏђ™љ›њќћџЎўЈ¤Ґ¦§©Є¬®Ї°±Ііґµ¶·№єјЅѕї]")
# Replacement character, C1 controls, and box drawing (UTF-8 Cyrillic read as KOI8-R).
_NEVER_IN_TEXT: Final = re.compile(r"[\ufffd\u0080-\u009f\u2500-\u259f]")
# Words of this many letters or more are judged; shorter ones carry too little signal.
_MIN_WORD: Final = 3
# Share of judged words that may look wrong before the whole text counts as garbled.
GARBLED_SHARE: Final = 0.25


def _word_looks_wrong(word: str) -> bool:
    if len(word) < _MIN_WORD:
        return False
    if len(_LATIN1_LETTERS.findall(word)) == len(word):
        return True  # no language we know writes whole words in accented Latin-1 letters
    # Case that flips back to lower after an upper inside a word ("лБЛ", "ПрИвЕт"), or a
    # lower run turning upper ("пЕРЕЖИТЬ"); "iPhone" and "McDonald" flip once, at most.
    flips = sum(
        1
        for a, b in itertools.pairwise(word)
        if a.isalpha() and b.isalpha() and a.islower() != b.islower()
    )
    starts_lower_then_upper = word[0].islower() and word[1:].isupper()
    return flips >= 3 or starts_lower_then_upper


def garble_share(text: str) -> float:
    """The share (0-1) of the longer words of ``text`` that look wrongly decoded."""
    words = [w for w in _WORD.findall(text) if len(w) >= _MIN_WORD]
    if not words:
        return 0.0
    return sum(1 for w in words if _word_looks_wrong(w)) / len(words)


def is_garbled(text: str) -> bool:
    """True when ``text`` is most likely bytes decoded with the wrong encoding.

    Args:
        text: A title, a paragraph or a whole document's text.

    Returns:
        True for the replacement character, C1 controls, box drawing, UTF-8 read as
        windows-1252 or windows-1251, or
        more than a quarter of its words shaped like wrongly decoded Cyrillic.
    """
    if _NEVER_IN_TEXT.search(text):
        return True
    # One such pair could be real ("Ð" in Icelandic); two or three are not.
    if len(_UTF8_AS_CP1252.findall(text)) >= 2 or len(_UTF8_AS_CP1251.findall(text)) >= 3:
        return True
    return garble_share(text) > GARBLED_SHARE
