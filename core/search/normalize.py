"""Text normalisation shared by indexing and queries: folding, tokens and spelling skeletons."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Final

MAX_TOKEN: Final = 40  # longer "words" are URLs, hashes or junk
MIN_TOKEN: Final = 2

# Letters of Kazakh, Kyrgyz, Uzbek, Tajik and Turkmen Cyrillic fold to the nearest Russian
# letter, so "Қазақстан" and "Казахстан" share a spelling skeleton; "ё" reads as "е".
_CYRILLIC_FOLDS: Final = {
    "ё": "е",
    "ә": "а",
    "ғ": "г",
    "қ": "к",
    "ң": "н",
    "ө": "о",
    "ұ": "у",
    "ү": "у",
    "һ": "х",
    "і": "и",
    "ў": "у",
    "ҳ": "х",
    "ӣ": "и",
    "ӯ": "у",
    "ҷ": "ч",
    "җ": "ж",
}
# Apostrophes inside words ("O'zbekiston", "Oʻzbekiston", "Kazakhstan's") are dropped.
_APOSTROPHES: Final = "'\u2019\u2018\u02bb\u02bc`\u00b4"
_HYPHENS: Final = "\u2010\u2011\u2012\u2013"


def _latin_folds() -> dict[int, str]:
    # Latin letters with diacritics (Turkmen "ň", Uzbek/Turkish "ş", German "ü") lose them;
    # Cyrillic is left alone, where the same decomposition would merge "й" into "и".
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base and base != char and base.isascii():
            table[code] = base.lower()
    table[ord("ß")] = "ss"
    table[ord("ı")] = "i"
    return table


_TABLE: Final = str.maketrans(
    {
        **_latin_folds(),
        **{ord(k): v for k, v in _CYRILLIC_FOLDS.items()},
        **{ord(a): "" for a in _APOSTROPHES},
        **{ord(h): "-" for h in _HYPHENS},
    }
)
# A word may carry apostrophes and hyphens inside ("o'zbekiston", "k-oilgas"); casefolded
# text is matched, and the folding of each distinct word happens once, in ``split_word``.
_WORD_RE: Final = re.compile(
    r"[^\W_]+(?:[-'\u2019\u2018\u02bc`\u00b4\u2010\u2011\u2012\u2013][^\W_]+)*"
)

_CYRILLIC_TO_LATIN: Final = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sh",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)
# After transliteration, spellings that sound alike are made alike: "kh"/"h" (Bukhara,
# Бухара), "q"/"k" (Qazaqstan), "y"/"i" (Tokayev, Almaty), "dzh"/"j", doubled letters.
_SOUND_RULES: Final = (("dzh", "j"), ("kh", "h"), ("zh", "j"), ("q", "k"), ("w", "v"), ("x", "ks"))
_SOUND_TABLE: Final = str.maketrans({"y": "i", "c": "k"})
_DOUBLE_RE: Final = re.compile(r"(.)\1+")


def split_word(raw: str) -> list[str]:
    """Return the words one casefolded match of the word pattern stands for, folded.

    "k-oilgas" gives "oilgas" and "koilgas" (the one-letter part is dropped), so the name
    matches whether people type it with the hyphen, without it, or only its longer part.

    Args:
        raw: A casefolded word, possibly with inner apostrophes and hyphens.

    Returns:
        Words of two to ``MAX_TOKEN`` characters; empty when none is left.
    """
    word = raw.translate(_TABLE)
    found: list[str] = []
    if "-" in word:
        parts = word.split("-")
        found.extend(part for part in parts if MIN_TOKEN <= len(part) <= MAX_TOKEN)
        word = "".join(parts)
    if MIN_TOKEN <= len(word) <= MAX_TOKEN:
        found.append(word)
    return found


def raw_words(text: str) -> Counter[str]:
    """Return how often each casefolded word occurs in ``text``, before folding."""
    return Counter(_WORD_RE.findall(text.casefold()))


def distinct_raw_words(text: str) -> dict[str, None]:
    """The casefolded words of ``text`` once each, in order (``raw_words`` without counts)."""
    return dict.fromkeys(_WORD_RE.findall(text.casefold()))


def tokens(text: str) -> list[str]:
    """Return the words of ``text`` in order, folded, repeats kept (see ``split_word``)."""
    return [word for raw in _WORD_RE.findall(text.casefold()) for word in split_word(raw)]


def is_cyrillic(word: str) -> bool:
    """Whether ``word`` (folded) starts with a Cyrillic letter."""
    return "\u0400" <= word[0] <= "\u04ff"


def skeleton(term: str) -> str:
    """Return a spelling key that Latin and Cyrillic spellings of a name share.

    "Алматы" and "Almaty" both give "almati"; "Qazaqstan" and "Kazakstan" both "kazakstan".

    Args:
        term: A folded word or stem.

    Returns:
        The key: ASCII when the word is Latin or Cyrillic, else the word itself.
    """
    key = term.translate(_CYRILLIC_TO_LATIN)
    for old, new in _SOUND_RULES:
        if old in key:
            key = key.replace(old, new)
    return _DOUBLE_RE.sub(r"\1", key.translate(_SOUND_TABLE))
