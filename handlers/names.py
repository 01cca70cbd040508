"""Country and currency names in the reader's language: CLDR through Babel, and ours.

CLDR has every name the bot shows in all seven languages, but a few read wrong to people
in the region: Tajik calls the yuan "иена" (the yen) and misspells Kazakhstan in the tenge,
Russian still says "новый туркменский манат" and "киргизский", and Kyrgyz and Tajik write
some names in lower case. Our own names replace exactly those; everything else is CLDR's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from core.countries import country_name as _cldr_country_name
from handlers.formatting import babel_locale
from locales import current_language

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


def country_name(code: str, lang: str | None = None) -> str:
    """The name of the country ``code`` (ISO alpha-2) in ``lang`` (the reader's by default)."""
    return _cldr_country_name(code, lang or current_language())


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
    return str(name) if name else code


def currency_name(code: str, lang: str | None = None) -> str:
    """The name of the currency ``code`` (ISO 4217) in ``lang``; the code when none is known."""
    key = code.strip().upper()
    return _currency_name(key, lang or current_language())
