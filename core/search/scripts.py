"""Other readings of a query word: Russian typed in Latin letters, Uzbek Latin in Cyrillic.

People type Russian in Latin letters ("pylnaya burya v tashkente") and Uzbek in either
script ("Toshkentda"/"Тошкентда"), with any of o' o‘ oʻ o` for one letter. A Latin word is
read back into Cyrillic the way Telegram users write it, so it meets the Russian stem of
the story's word ("tashkente" -> "ташкенте" -> "ташкент"); the spelling skeleton
(``normalize.skeleton``) then absorbs what the Latin letters cannot tell (ь, ы/й).
"""

from __future__ import annotations

import re
from typing import Final

# Longest first: "shch" before "sh", "zh" before "z".
_RUSSIAN: Final = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("yo", "е"),
    ("jo", "е"),
    ("je", "е"),
)
_RUSSIAN_LETTERS: Final = {
    **dict(zip("abvgdezijklmnoprstufhcwq", "абвгдезийклмнопрстуфхцвк", strict=True)),
    "x": "кс",
    "'": "ь",
}
_VOWELS: Final = set("aeiouy")
# Uzbek Latin (2023 spelling and the older one); the apostrophe letters come first.
_UZBEK_PAIRS: Final = (
    ("o'", "у"),
    ("g'", "г"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("ng", "нг"),
    ("yo", "е"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("ts", "ц"),
)
_UZBEK_LETTERS: Final = dict(
    zip("abdefghijklmnopqrstuvxyz", "абдефгхижклмнопкрстувхйз", strict=True)
)
_APOSTROPHES_RE: Final = re.compile(r"[\u2019\u2018\u02bb\u02bc`\u00b4]")


def _read(word: str, pairs: tuple[tuple[str, str], ...], letters: dict[str, str]) -> str:
    out: list[str] = []
    position = 0
    while position < len(word):
        for latin, cyrillic in pairs:
            if word.startswith(latin, position):
                out.append(cyrillic)
                position += len(latin)
                break
        else:
            char = word[position]
            if char == "y" and letters is _RUSSIAN_LETTERS:
                # "y" after a vowel is "й" ("centralnoy"), else "ы" ("voennye"); "ye" is
                # "е" only where "ы" cannot stand ("yesli", "poyezd").
                before = word[position - 1] if position else ""
                vowel_before = not before or before in _VOWELS
                if word.startswith("ye", position) and vowel_before:
                    out.append("е")
                    position += 1
                else:
                    out.append("й" if vowel_before else "ы")
            else:
                out.append(letters.get(char, char))
            position += 1
    return "".join(out)


def russian_reading(word: str) -> str:
    """Return the Cyrillic a Latin-typed Russian word stands for ("moloka" -> "молока").

    Args:
        word: A casefolded Latin word.

    Returns:
        The word in Cyrillic; a word with other letters comes back unchanged.
    """
    if not word.isascii() or not word.isalpha():
        return word
    return _read(word, _RUSSIAN, _RUSSIAN_LETTERS)


def uzbek_reading(raw: str) -> str:
    """Return the Cyrillic of an Uzbek Latin word ("toshkentda" -> "тошкентда").

    Args:
        raw: A casefolded word as typed, apostrophes still in it ("o'zbekiston",
            "oʻzbekiston", "o`zbekiston" all read the same).

    Returns:
        The word in Cyrillic with Uzbek letters already folded (ў -> у, ғ -> г, қ -> к),
        or ``raw`` unchanged when it is not a Latin word.
    """
    word = _APOSTROPHES_RE.sub("'", raw)
    if not word.replace("'", "").isascii() or not word.replace("'", "").isalpha():
        return raw
    return _read(word, _UZBEK_PAIRS, _UZBEK_LETTERS).replace("'", "")
