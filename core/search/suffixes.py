"""A light suffix stripper for Kazakh, Kyrgyz, Uzbek, Turkmen and Tajik words.

No well-kept library stems these languages (Snowball and simplemma cover Turkish but none
of them), so this one follows Snowball's Turkish in spirit: endings come off from the end
of the word, case first, then possession, then the plural, and a stem never gets shorter
than ``MIN_STEM`` letters. It works on folded words (``normalize.split_word``): Kazakh
"Павлодардағы" arrives as "павлодардагы" and leaves as "павлодар"; Uzbek "Toshkentda"
leaves as "toshkent"; Tajik "мошинҳои" ("мошинхои") as "мошин".
"""

from __future__ import annotations

from typing import Final

MIN_STEM: Final = 3


def _endings(text: str) -> tuple[str, ...]:
    # Longest first, so "ларынан" goes before "ынан" and "нан".
    return tuple(sorted(set(text.split()), key=len, reverse=True))


# Kazakh and Kyrgyz (Cyrillic, folded: қ->к, ғ->г, ң->н, ө->о, ү/ұ->у, і->и, ә->а).
_CYRILLIC_CASE: Final = _endings(
    """
    ындагы индеги ндагы ндеги дагы деги тагы теги догу догу тогу
    ынан инен нан нен дан ден тан тен дон тон
    ында инде нда нде да де та те до то
    нын нин дын дин тын тин нун дун тун
    ны ни ды ди ты ти ну ду ту н
    га ге ка ке на не го ко
    мен бен пен менен менен
    мен
    ша ше
    нинг
    """
)
_CYRILLIC_OWNER: Final = _endings("сы си су ы и у ым им ын ин ымыз имиз ыныз иниз")
_OWNER_VOWEL: Final = ("ы", "и", "у")
# After a vowel the possessive is "-сы" ("қала-сы", "метро-сы"); with a case on top its
# vowel goes with the case ("қала-с-ында", "метро-с-унда"), so the "с" is left behind.
# Stems that end in a vowel and "с" themselves keep it: the native "-ыс/-іс" ("облыс") and
# loans in "-ус" ("автобус") by the sound before it, the frequent others by this list
# (from the government headlines, where the "-сы" reading is nine times more common).
_OWNER_S_BEFORE: Final = frozenset("аеоэяё")
_STEMS_IN_S: Final = (
    "кенес",  # council
    "курес",  # struggle
    "улес",  # share
    "катынас",  # relation
    "иргетас",  # foundation
    "карас",  # view ("көзқарас")
    "талас",  # dispute ("пікірталас")
    "бизнес",
    "процес",
    "конгрес",
    "прогрес",
    "алмас",
)
_CYRILLIC_PLURAL: Final = _endings("лар лер дар дер тар тер лор дор тор")
# Verbs in headlines: "арттырмақ", "ашылды", "қатысты", "көбейтеді", "толтырылды", and the
# converb of two-verb phrases ("утулуп калды", "жиналып").
_CYRILLIC_VERB: Final = _endings(
    """
    ылды илди ылган илген ылады иледи ылмак илмек
    ды ди ты ти ту
    мак мек бак бек пак пек
    ады еди иди йды йди
    ган ген кан кен
    уу уу
    ып ип уп
    """
)
# Uzbek and Turkmen in Latin letters (folded: o'->o, g'->g, ş->s, ç->c, ň->n, ä->a).
_LATIN_CASE: Final = _endings(
    """
    dagi dan dagi ning ni ga ka qa da ta dan tan
    daki deki dan den da de nyn nin yn in a e y i
    lari lar ler
    """
)
_LATIN_OWNER: Final = _endings("lari lar ler i si sy syn sin yn in")
_LATIN_VERB: Final = _endings("moqda yapti adi idi ildi ilgan gan moq mak di")
# Tajik (folded: ҳ->х, ӣ->и, ӯ->у, ҷ->ч, қ->к, ғ->г).
_TAJIK: Final = _endings("хои хо ро и ам ат аш ем ед анд ия")


_VOWELS: Final = set("аеиоуыэюяёaeiouy")
_VOICELESS: Final = set("кпстфхцчшщkpstfhcq")
# Turkic endings change their first sound with the sound before them: "-дар" follows a
# voiced consonant, "-тар" a voiceless one, "-лар" a vowel (or р, й, у); "-сы", "-ны",
# "-нан" follow a vowel. An ending that cannot follow the letter before it is part of the
# stem: "павлодар" keeps its "дар", "өндіріс" its "с".
_AFTER_VOICELESS: Final = set("тк")


def _fits(stem: str, ending: str) -> bool:
    before, first = stem[-1], ending[0]
    vowel = before in _VOWELS
    if first == "л":
        return vowel or before in "рйу"
    if first == "с":
        return vowel
    if ending == "нинг":
        return True  # Uzbek's genitive (read from Latin "-ning") follows any sound
    if first == "н":
        # "-ның" also follows м and н: "Қазақстанның".
        return vowel or (len(ending) > 1 and before in "мн")
    if first == "д":
        if ending[1:3] in ("ар", "ер", "ор"):
            return before in "лмнзж"  # the plural; after a vowel it is "-лар"
        return before not in _VOICELESS
    if first in _AFTER_VOICELESS:
        return before in _VOICELESS
    if first in _VOWELS and len(ending) <= 2:
        return not vowel  # "-ы", "-ын", "-ым" follow a consonant
    return True


def _strip(word: str, endings: tuple[str, ...], harmony: bool = True) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: -len(ending)]
            if harmony and not _fits(stem, ending):
                continue
            if len(ending) == 1 and len(stem) < MIN_STEM + 2:
                continue  # one letter off a short word is more often a guess than a case
            return stem
    return word


def _drop_owner_s(stem: str, taken: str) -> str:
    """Take the "с" of a possessive "-сы" whose vowel went with the case after it."""
    if (
        len(taken) > 1
        and taken[0] in _OWNER_VOWEL
        and stem.endswith("с")
        and len(stem) > MIN_STEM
        and stem[-2] in _OWNER_S_BEFORE
        and not stem.endswith(_STEMS_IN_S)
    ):
        return stem[:-1]
    return stem


def strip_turkic(word: str) -> str:
    """Return the stem of a folded Kazakh, Kyrgyz, Uzbek or Turkmen word.

    Args:
        word: A folded word (Cyrillic or Latin); other words come back unchanged.

    Returns:
        The word without its case, possessive, plural and common verb endings.
    """
    if not word or not word[0].isalpha():
        return word
    if "\u0400" <= word[0] <= "\u04ff":
        stem = _strip(word, _CYRILLIC_CASE)
        # After a case ending only a one-vowel possessive is taken: "облыс-ы-ның", where
        # "-сы" would eat the stem's own "с".
        stem = _strip(stem, _CYRILLIC_OWNER if stem == word else _OWNER_VOWEL)
        stem = _drop_owner_s(stem, word[len(stem) :])
        stem = _strip(stem, _CYRILLIC_PLURAL)
        if stem == word:
            stem = _strip(word, _CYRILLIC_VERB)
        return stem
    if word.isascii():
        # Uzbek endings keep their sounds ("-da" after any letter): no harmony check.
        stem = _strip(word, _LATIN_CASE, harmony=False)
        if stem == word:
            stem = _strip(word, _LATIN_VERB, harmony=False)
        # Turkmen keeps the possessive's "n" before a case: "metro-syn-da", "şäher-in-de".
        return _strip(stem, _LATIN_OWNER, harmony=False)
    return word


def strip_tajik(word: str) -> str:
    """Return the stem of a folded Tajik word: plural, object and izafet endings off."""
    stem = word
    for _ in range(2):
        stem = _strip(stem, _TAJIK)
    return stem
