"""Lookup tables of the country gazetteer, built once from our vocabulary and CLDR.

The text normalisation lives here too, because forms and texts must be normalised alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from core import gazetteer_data as data

_CLDR_LANGS: Final = ("en", "ru", "kk", "uz", "uz_Cyrl", "ky", "tg", "tk")
# CLDR territories with two-letter codes that are groupings or reserved, not countries.
_NOT_COUNTRIES: Final = frozenset(
    ("EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA")
)
CONTEXT_MARK: Final = "?"  # prefix of a code whose form counts only alongside another mention
MIN_STEM: Final = 4  # our own forms inflect from four letters on
MIN_CLDR_STEM: Final = 5  # CLDR's short names ("Mali", "Oman") only match exactly
MIN_FUZZY: Final = 7  # shorter words sit too close to everyday words to guess at
_MIN_ADJECTIVE_BASE: Final = 5
TOKEN_RE: Final = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
_FOLDS: Final = (
    *(("\u2019", "'"), ("\u2018", "'"), ("\u02bb", "'"), ("\u02bc", "'")),
    *(("`", "'"), ("\u00b4", "'"), ("ё", "е"), ("\u0307", "")),
    *(("\u2010", "-"), ("\u2011", "-")),
)
_RU_LETTERS: Final = frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюя-")
_RU_HUSHING: Final = frozenset("гкхжшчщ")
_RU_VOWELS: Final = frozenset("аеиоуыэюя")

PhraseWord = tuple[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Tables:
    """Everything matching needs, keyed for one dictionary look-up per word.

    Attributes:
        exact: Word form -> code (prefixed with CONTEXT_MARK when it needs another mention).
        stems: First three letters -> (stem, code), longest stem first; a stem matches a word
            that continues it with one of ``gazetteer_data.SUFFIXES``.
        phrases: Any form of a phrase's first word -> (words, code); each word is its base
            form and the set of its accepted forms.
        fuzzy: First two letters -> (name, code) of places worth a misspelling check.
        lenient_names: Our own forms, for the looser matching of a user's query.
        lenient_codes: The code of each of ``lenient_names``.
        curated: Codes of the five countries and their neighbours.
        countries: Every two-letter code CLDR names that is a country or territory.
        alpha3: ISO alpha-3 code -> alpha-2 code.
    """

    exact: dict[str, str]
    stems: dict[str, tuple[tuple[str, str], ...]]
    phrases: dict[str, tuple[tuple[tuple[PhraseWord, ...], str], ...]]
    fuzzy: dict[str, tuple[tuple[str, str], ...]]
    lenient_names: tuple[str, ...]
    lenient_codes: tuple[str, ...]
    curated: frozenset[str]
    countries: frozenset[str]
    alpha3: dict[str, str]


def normalise(text: str) -> str:
    """Return ``text`` casefolded, with one apostrophe, one hyphen and "е" for "ё"."""
    folded = text.casefold()
    for old, new in _FOLDS:
        if old in folded:  # the check is cheaper than a no-op replace on long texts
            folded = folded.replace(old, new)
    return folded


@lru_cache(maxsize=32)
def territory_names(lang: str) -> dict[str, str]:
    """Return CLDR's territory names in ``lang`` by code, or {} when Babel lacks the language."""
    try:
        territories: dict[str, str] = dict(Locale.parse(lang).territories)
    except (UnknownLocaleError, ValueError, TypeError):
        return {}
    return territories


def _variants(form: str) -> set[str]:
    norm = normalise(form)
    variants = {norm}
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", norm) if not unicodedata.combining(char)
    )
    # Only Latin is folded: in Cyrillic it would merge distinct letters (й and и). Short
    # forms are never folded: "oş" (Osh in Turkmen) must not become the word "os".
    if folded.isascii() and len(folded) >= MIN_STEM:
        variants.update((folded, folded.replace("'", "")))
    return variants


def _ru_forms(word: str, *, in_phrase: bool = False) -> set[str]:
    """Russian case forms of a name, for endings that change the stem's last letter."""
    if not set(word) <= _RU_LETTERS:
        return set()
    stem = word[:-1]
    endings: tuple[str, ...] = ()
    if word.endswith("ия"):
        endings = ("и", "ю", "ей")
    elif word.endswith("ая"):
        stem, endings = word[:-2], ("ой", "ую")
    elif word.endswith("я"):
        endings = ("и", "е", "ю", "ей")
    elif word.endswith("а") and stem[-1:] not in _RU_VOWELS:  # "Самоа" does not decline
        endings = ("и" if stem[-1:] in _RU_HUSHING else "ы", "е", "у", "ой")
    elif word.endswith(("ый", "ий", "ой")):
        stem, endings = word[:-2], (word[-2] + "м", "ого", "ому")
    elif word.endswith("й"):
        endings = ("я", "е", "ю", "ем")
    elif word.endswith("ь"):
        endings = ("и", "я", "ю", "е", "ем", "ью")
    elif in_phrase and word.endswith(("ые", "ие")):
        stem, endings = word[:-1], ("х", "м", "ми")
    elif in_phrase and word.endswith("ы"):
        endings = ("ов", "ам", "ами", "ах")
    elif word[-1] not in "аеиоуыэюяьй":
        stem, endings = word, ("а", "е", "у", "ом")
    return {stem + ending for ending in endings} - {word}


def _ru_adjective_stem(word: str) -> str | None:
    """Stem of the Russian adjective of a place: "наманган" -> "наманганск" (+ "ой", "ий")."""
    if len(word) < _MIN_ADJECTIVE_BASE or not set(word) <= _RU_LETTERS:
        return None
    if word.endswith("ия"):
        return word[:-2] + "ийск"
    if word.endswith(("а", "я")):
        return word[:-1] + "ск"
    if word[-1] in _RU_VOWELS:
        return None
    return word + "ск"


class _Builder:
    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.stems: dict[str, str] = {}
        self.phrases: dict[tuple[str, ...], str] = {}
        self.fuzzy: dict[str, str] = {}
        self.lenient: dict[str, str] = {}

    def add(self, form: str, code: str, *, curated: bool, place: bool = False) -> None:
        for variant in _variants(form):
            words: list[str] = TOKEN_RE.findall(variant)
            if len(words) > 1:
                self.phrases.setdefault(tuple(words), code)
            elif words:
                self._add_word(words[0], code, curated=curated, place=place)

    def add_context_only(self, form: str, code: str) -> None:
        for variant in _variants(form):
            self.exact.setdefault(variant, CONTEXT_MARK + code)

    def _add_word(self, word: str, code: str, *, curated: bool, place: bool) -> None:
        self.exact.setdefault(word, code)
        min_stem = MIN_STEM if curated else MIN_CLDR_STEM
        if len(word) < min_stem:
            return
        for form in _ru_forms(word):
            self.exact.setdefault(form, code)
        self.stems.setdefault(word, code)
        if curated:
            self.lenient.setdefault(word, code)
        if place:
            adjective = _ru_adjective_stem(word)
            if adjective:
                self.stems.setdefault(adjective, code)
            if len(word) >= MIN_FUZZY:
                self.fuzzy.setdefault(word, code)

    def tables(self, countries: frozenset[str], alpha3: dict[str, str]) -> Tables:
        stems: dict[str, list[tuple[str, str]]] = {}
        for stem, code in sorted(self.stems.items(), key=lambda item: -len(item[0])):
            stems.setdefault(stem[:3], []).append((stem, code))
        phrases: dict[str, list[tuple[tuple[PhraseWord, ...], str]]] = {}
        for words, code in self.phrases.items():
            phrase = tuple(
                (word, frozenset({word, *_ru_forms(word, in_phrase=True)})) for word in words
            )
            for first in phrase[0][1]:
                phrases.setdefault(first, []).append((phrase, code))
        fuzzy: dict[str, list[tuple[str, str]]] = {}
        for name, code in self.fuzzy.items():
            fuzzy.setdefault(name[:2], []).append((name, code))
        return Tables(
            exact=self.exact,
            stems={key: tuple(value) for key, value in stems.items()},
            phrases={key: tuple(value) for key, value in phrases.items()},
            fuzzy={key: tuple(value) for key, value in fuzzy.items()},
            lenient_names=tuple(self.lenient),
            lenient_codes=tuple(self.lenient.values()),
            curated=frozenset(data.NAMES),
            countries=countries,
            alpha3=alpha3,
        )


def _cldr_names(countries: frozenset[str]) -> dict[str, str]:
    """CLDR names of all countries in our languages, without ones shared by two countries."""
    owners: dict[str, set[str]] = {}
    for lang in _CLDR_LANGS:
        for code, name in territory_names(lang).items():
            if code in countries:
                # A bracket qualifies ("Виргинские о-ва (Великобритания)"), it names no country.
                owners.setdefault(normalise(name.split("(")[0].strip()), set()).add(code)
    return {
        name: codes.pop()
        for name, codes in owners.items()
        if len(codes) == 1 and len(name) >= 4 and not _variants(name) & data.CLDR_AMBIGUOUS
    }


@lru_cache(maxsize=1)
def get_tables() -> Tables:
    """Return the lookup tables, building them on first use (about 0.1 s)."""
    countries = frozenset(
        code
        for code in territory_names("en")
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )
    alpha3: dict[str, str] = {
        alias: targets[0]
        for alias, targets in get_global("territory_aliases").items()
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1 and targets[0] in countries
    }
    builder = _Builder()
    # First, so that no other form's inflection claims these words.
    for form, code in data.CONTEXT_ONLY.items():
        builder.add_context_only(form, code)
    vocabularies = (
        (data.NAMES, True),
        (data.CITIES, True),
        (data.DEMONYMS, False),
        (data.LEADERS, False),
    )
    for vocabulary, place in vocabularies:
        for code, forms in vocabulary.items():
            for form in forms.split("|"):
                builder.add(form, code, curated=True, place=place)
    for form, code in data.EXTRA_NAMES.items():
        builder.add(form, code, curated=False)
    for form, code in _cldr_names(countries).items():
        builder.add(form, code, curated=False)
    return builder.tables(countries, alpha3)
