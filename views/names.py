"""Names in the reader's language: countries, currencies, banks, zones' cities, languages.

CLDR has every name the bot shows in all seven languages, but a few read wrong to people
in the region: Tajik calls the yuan "иена" (the yen) and misspells Kazakhstan in the tenge,
Russian still says "новый туркменский манат" and "киргизский", and Kyrgyz and Tajik write
some names in lower case. Our own names replace exactly those; everything else is CLDR's.
Banks have no CLDR names: their short names per language are ours (``BANK_NAMES``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from babel import Locale
from babel.dates import get_timezone_location

from core.countries import country_name as _cldr_country_name
from core.zone_names import fold_name
from locales import LANGUAGES, NATIVE_NAMES, current_language, supported_language
from views.formatting import babel_locale

# (language, ISO 4217 code) -> the name people there use where CLDR's is wrong or odd.
CURRENCY_OVERRIDES: Final[dict[tuple[str, str], str]] = {
    ("en", "UZS"): "Uzbekistani Sum",
    ("ru", "KGS"): "кыргызский сом",
    ("ru", "TMT"): "туркменский манат",
    ("ky", "RUB"): "Орусия рублу",
    ("tg", "KZT"): "Тангаи Қазоқистон",
    ("tg", "UZS"): "Сӯми Ӯзбекистон",
    ("tg", "TMT"): "Манати Туркманистон",
    ("tg", "RUB"): "Рубли Русия",
    ("tg", "CNY"): "Юани Чин",
}

# Central banks as readers of each language call them, short enough for a column of the
# rates table. Keys are the rate sources of ``core.rates.SOURCE_PRIORITY``.
BANK_NAMES: Final[dict[str, dict[str, str]]] = {
    "nbk": {
        "en": "NBK",
        "ru": "НБРК",
        "kk": "ҚР ҰБ",
        "uz": "Qozogʻiston MB",
        "ky": "Казакстан УБ",
        "tg": "БМ Қазоқистон",
        "tk": "Gazagystan MB",
    },
    "nbkr": {
        "en": "NBKR",
        "ru": "НБКР",
        "kk": "Қырғызстан ҰБ",
        "uz": "Qirgʻiziston MB",
        "ky": "КР УБ",
        "tg": "БМ Қирғизистон",
        "tk": "Gyrgyzystan MB",
    },
    "cbu": {
        "en": "CBU",
        "ru": "ЦБ РУз",
        "kk": "Өзбекстан ОБ",
        "uz": "Oʻzbekiston MB",
        "ky": "Өзбекстан ББ",
        "tg": "БМ Ӯзбекистон",
        "tk": "Özbegistan MB",
    },
    "nbt": {
        "en": "NBT",
        "ru": "НБТ",
        "kk": "Тәжікстан ҰБ",
        "uz": "Tojikiston MB",
        "ky": "Тажикстан УБ",
        "tg": "БМТ",
        "tk": "Täjigistan MB",
    },
    "cbt": {
        "en": "CBT",
        "ru": "ЦБ Туркменистана",
        "kk": "Түрікменстан ОБ",
        "uz": "Turkmaniston MB",
        "ky": "Түркмөнстан ББ",
        "tg": "БМ Туркманистон",
        "tk": "TMB",
    },
    "cbr": {
        "en": "CBR",
        "ru": "ЦБ РФ",
        "kk": "Ресей ОБ",
        "uz": "Rossiya MB",
        "ky": "Россия ББ",
        "tg": "БМ Русия",
        "tk": "Russiýa MB",
    },
}


def bank_name(source: str, lang: str | None = None) -> str:
    """The short name of the bank behind rate source ``source`` (``nbk``) in ``lang``.

    A source that is no bank of ours (a ticker, a stand-in) shows as its code in capitals.
    """
    names = BANK_NAMES.get(source.lower())
    return names.get(lang or current_language(), names["en"]) if names else source.upper()


# Uzbek writes oʻ and gʻ with the modifier letter turned comma ʻ (U+02BB) and its tutuq
# belgisi with the modifier apostrophe ʼ (U+02BC); CLDR uses the quotation marks ‘ and ’.
# Our catalogs use the letters (tests/test_i18n_catalog_check.py), so CLDR's names follow.
_UZBEK_LETTERS: Final = str.maketrans({"‘": "ʻ", "’": "ʼ", "`": "ʻ"})


def uzbek_letters(text: str) -> str:
    """``text`` with Uzbek's apostrophe letters as ʻ (U+02BB) and ʼ (U+02BC)."""
    return text.translate(_UZBEK_LETTERS)


def _in_script(text: str, lang: str) -> str:
    return uzbek_letters(text) if lang == "uz" else text


def country_name(code: str, lang: str | None = None) -> str:
    """The name of the country ``code`` (ISO alpha-2) in ``lang`` (the reader's by default)."""
    lang = lang or current_language()
    return _in_script(_cldr_country_name(code, lang), lang)


def language_names(codes: tuple[str, ...], lang: str | None = None) -> str:
    """The languages ``codes`` named in ``lang`` (the reader's by default), comma-joined."""
    names = babel_locale(lang or current_language()).languages
    return ", ".join(str(names.get(code) or code) for code in codes)


@lru_cache(maxsize=512)
def _currency_name(code: str, lang: str) -> str:
    override = CURRENCY_OVERRIDES.get((lang, code))
    if override:
        return override
    name = babel_locale(lang).currencies.get(code)
    return _in_script(str(name), lang) if name else code


def currency_name(code: str, lang: str | None = None) -> str:
    """The name of the currency ``code`` (ISO 4217) in ``lang``; the code when none is known."""
    key = code.strip().upper()
    return _currency_name(key, lang or current_language())


def _add_language_name(words: dict[str, str], name: str, code: str) -> None:
    words.setdefault(fold_name(name), code)
    first = name.split()[0] if name.split() else ""
    if first != name and len(first) >= 3:  # "қазақ тілі" is also written "қазақ"
        words.setdefault(fold_name(first), code)


@lru_cache(maxsize=1)
def _language_words() -> dict[str, str]:
    """Every way we accept to name one of our languages, folded, to its code.

    The codes, each language's own name (``Қазақша``), and CLDR's name of each of the
    seven in each of the seven and in Cyrillic Uzbek (``казахский``, ``qozoqcha``,
    ``Kazakh``, ``қазақ тілі``).
    """
    words = {code: code for code in LANGUAGES}
    for code in LANGUAGES:
        _add_language_name(words, NATIVE_NAMES[code], code)
    for reader in (*LANGUAGES, "uz_Cyrl"):
        names = Locale.parse(reader).languages
        for code in LANGUAGES:
            if names.get(code):
                _add_language_name(words, str(names[code]), code)
    return words


# "In Russian" as Turkic languages say it: a stem and -ша/-ча (Kazakh, Kyrgyz, Uzbek) or
# -çe/-ça (Turkmen). "орысша" is the stem of CLDR's "орыс тілі" with Kazakh's suffix.
_IN_LANGUAGE_SUFFIXES = ("ша", "ча", "ше", "че", "чө", "cha", "çe", "ça", "ce", "ca")


def language_named(text: str) -> str | None:
    """The language ``text`` names (``ru``, ``русский``, ``Kazakh``, ``орысша``), or None."""
    if len(text) > 64:
        return None
    words = _language_words()
    folded = fold_name(text)
    found = words.get(folded)
    for suffix in _IN_LANGUAGE_SUFFIXES:
        if found is None and folded.endswith(suffix) and len(folded) > len(suffix) + 2:
            found = words.get(folded.removesuffix(suffix))
    return found or supported_language(text.strip())


def zone_city(zone: str, lang: str | None = None) -> str | None:
    """The city CLDR names a zone after, in ``lang`` (``Asia/Tashkent``: ``Ташкент``), or None.

    None for zones that are no city's (``UTC``, ``UTC+06:00``).
    """
    if "/" not in zone or zone.startswith("Etc/"):
        return None
    lang = lang or current_language()
    try:
        city = get_timezone_location(zone, locale=babel_locale(lang), return_city=True)
    except LookupError:
        return None
    return _in_script(str(city), lang) if city else None
