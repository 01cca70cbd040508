"""The catalog check: what a translation may not keep from English or borrow from Russian.

It reads every ``.po`` as translators leave it and fails when a translation
- keeps an English word of its source string (names and codes in ``KEPT_AS_IS`` aside);
- is not Russian but holds letters its alphabet lacks and Russian has, or Russian words;
- is Uzbek and writes oʻ/gʻ with anything but the modifier letter ʻ (U+02BB), or the
  tutuq belgisi with anything but ʼ (U+02BC).
Untranslated and fuzzy messages are failed by ``tests/test_i18n_catalogs.py``. This file
also checks the strings other modules add, so the allow-list is a table, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from locales import DEFAULT_LANGUAGE, LANGUAGES, catalog_path

TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]

# Words a translation may keep from its English source: they are names, codes or the
# syntax of a command, the same in every language. Lower case; add here, with a reason.
KEPT_AS_IS: frozenset[str] = frozenset(
    {
        # ISO 4217 currency codes people type after an amount
        *("usd", "kzt", "kgs", "uzs", "tjs", "tmt", "rub", "eur", "cny", "cur"),
        # ISO 3166 country codes (/subscribe kz uz)
        *("kz", "kg", "uz", "tj", "tm"),
        # time zone syntax and IANA zone names (/settings tz Asia/Almaty, UTC+5, GMT)
        *("utc", "gmt", "asia", "almaty", "tashkent", "bishkek", "dushanbe", "ashgabat"),
        # the subcommands /settings reads, and chart periods as typed (/chart kzt 90d)
        *("tz", "time", "countries", "lang", "7d", "30d", "90d", "1y"),
        # language codes (/lang ru)
        *("en", "ru", "kk", "ky", "tg", "tk"),
        # keys on the keyboard (Ctrl-D)
        "ctrl",
        # product names
        *("telegram", "newsbot", "html", "json", "png"),
    }
)
# English words that are also words of the language itself (loanwords spelled the same).
SAME_IN_LANGUAGE: dict[str, frozenset[str]] = {
    "uz": frozenset({"bot", "chat"}),
    "tk": frozenset({"bot"}),
}
# The commands of the bot: a translation keeps "/rates", "/convert" as they are typed.
_COMMAND = re.compile(r"/[a-z_]+")
# Placeholders ({currency}), @{bot} mentions and links are not words of a sentence.
# Neither are settings as an operator writes them (FETCH_SOURCES=false).
_NOT_WORDS = re.compile(r"\{[^{}]*\}|@\S+|https?://\S+|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+(?:=\w*)?")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")

# Letters of the Russian alphabet that a language's own alphabet does not have. Kazakh and
# Kyrgyz Cyrillic include all 33 Russian letters, so only Russian words give them away.
_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_TAJIK = "абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя"
RUSSIAN_ONLY_LETTERS: dict[str, str] = {
    "kk": "",
    "ky": "",
    "tg": "".join(sorted(set(_RUSSIAN) - set(_TAJIK))),  # ц щ ы ь
    "uz": _RUSSIAN,  # Uzbek is written in Latin script here
    "tk": _RUSSIAN,  # Turkmen too
}
# Russian function words that are no words of Kazakh, Kyrgyz or Tajik: seen in their text,
# they are Russian left in ("1000 сом в сумы").
RUSSIAN_WORDS: frozenset[str] = frozenset(
    {"в", "во", "и", "на", "для", "по", "или", "что", "это", "как", "из", "от", "при", "только"}
    | {"если", "нет", "есть", "курсы", "сумы", "суммы", "страны", "новости", "дней"}
)
# Russian words that are also words of the language ("на ... на": "neither ... nor" in Tajik).
NATIVE_TOO: dict[str, frozenset[str]] = {"tg": frozenset({"на"})}
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһіӣӯҳҷ]+", re.IGNORECASE)

# Uzbek: the letters oʻ, gʻ take U+02BB; the tutuq belgisi (maʼlumot) takes U+02BC. Quotation
# marks, ASCII apostrophes and backticks between letters are the wrong characters.
UZBEK_WRONG_APOSTROPHES = re.compile(r"(?<=\w)[‘’'`´]|[‘’'`´](?=\w)")
UZBEK_TURNED_COMMA = "\u02bb"


@cache
def _catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as source:
        return read_po(source, locale=lang)


def _pairs(lang: str) -> Iterator[tuple[str, str]]:
    """(source, translation) of every translated form of ``lang``'s catalog."""
    for message in _catalog(lang):
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in forms:
            if form:
                yield sources[-1], form


def _words(text: str) -> set[str]:
    plain = _COMMAND.sub(" ", _NOT_WORDS.sub(" ", text))
    return {word.lower() for word in _LATIN_WORD.findall(plain)}


def english_kept(source: str, translation: str, lang: str = "") -> set[str]:
    """English words of ``source`` that ``translation`` keeps, names and codes aside."""
    kept = _words(source) & _words(translation)
    return kept - KEPT_AS_IS - SAME_IN_LANGUAGE.get(lang, frozenset())


def russian_in(lang: str, translation: str) -> set[str]:
    """Letters ``lang`` does not have and Russian does, and Russian words, in ``translation``."""
    text = _NOT_WORDS.sub(" ", translation)
    letters = {letter for letter in text.lower() if letter in RUSSIAN_ONLY_LETTERS[lang]}
    russian = RUSSIAN_WORDS - NATIVE_TOO.get(lang, frozenset())
    words = {w for w in _CYRILLIC_WORD.findall(text.lower()) if w in russian}
    return letters | words


def uzbek_wrong_apostrophes(translation: str) -> list[str]:
    """The words of an Uzbek text that write an apostrophe letter with the wrong character."""
    return [
        word
        for word in re.findall(r"\S+", translation)
        if UZBEK_WRONG_APOSTROPHES.search(word.strip('“”"«»().,:;!?'))
    ]


def test_the_checks_catch_what_they_are_for() -> None:
    assert english_kept("Latest stories", "Latest хабарлар") == {"latest"}
    assert english_kept("e.g. /rates kzt uzs", "мысалы /rates kzt rub") == set()
    assert russian_in("kk", "«1000 сом в сумы»") == {"в", "сумы"}
    assert russian_in("tg", "курсы") == {"ы", "курсы"}
    assert russian_in("uz", "Qirgʻiziston") == set()
    assert russian_in("tk", "Manat курсы") == {"к", "у", "р", "с", "ы", "курсы"}
    assert uzbek_wrong_apostrophes("Qirg‘iziston somi") == ["Qirg‘iziston"]
    assert uzbek_wrong_apostrophes("“Qirgʻiziston” maʼlumot") == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_translation_keeps_an_english_word(lang: str) -> None:
    kept = {
        f"{source[:50]!r} keeps {sorted(words)}"
        for source, form in _pairs(lang)
        if (words := english_kept(source, form, lang))
    }
    assert not kept, f"{lang}: translate these, or add names and codes to KEPT_AS_IS: {kept}"


@pytest.mark.parametrize("lang", [lang for lang in TRANSLATED if lang != "ru"])
def test_no_russian_in_other_languages(lang: str) -> None:
    found = {
        f"{source[:50]!r}: {sorted(russian)}"
        for source, form in _pairs(lang)
        if (russian := russian_in(lang, form))
    }
    assert not found, f"{lang}: Russian letters or words in the translation: {found}"


def test_uzbek_writes_its_apostrophe_letters_one_way() -> None:
    """Uzbek uses the modifier letter ʻ (U+02BB) for oʻ and gʻ, never ‘ ’ ' or `."""
    wrong = {word for _source, form in _pairs("uz") for word in uzbek_wrong_apostrophes(form)}
    assert not wrong, f"uz: write these with {UZBEK_TURNED_COMMA} (U+02BB): {sorted(wrong)}"
    used = "".join(form for _source, form in _pairs("uz"))
    assert "oʻ" in used.lower() and "gʻ" in used.lower()
