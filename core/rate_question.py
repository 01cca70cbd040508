"""The rate question without an amount: "курс доллара", "USD/KZT", "dollar kursi", "kzt".

``parse_rate_question`` reads the question in any of the seven languages and says which
currencies it names; ``quote_pairs`` decides how the answer is quoted, the way the region
quotes it:

* a local currency named alone ("kzt", "курс тенге"): per 1 USD;
* a pair ("евро в тенге", "USD/KZT", "сум к рублю"): per 1 unit of the first;
* a foreign currency alone ("курс доллара", "dollar kursi"): per 1 unit, in the currency
  of the chat's country (``home_currencies``), else in the five Central Asian currencies;
* a rate word alone ("rates", "курс"): every usual currency per 1 USD.

Text with a number in it is a conversion, not a rate question (``core.money``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.countries import CENTRAL_ASIA, COUNTRY_CURRENCY
from core.currency_words import normalize_word
from core.money import MAX_INPUT_CHARS, ParseFailure
from core.money_scan import Mention, clean_text, scan_text

__all__ = [
    "LOCAL_CURRENCIES",
    "RateQuestion",
    "home_currencies",
    "parse_rate_question",
    "quote_pairs",
]

LOCAL_CURRENCIES: tuple[str, ...] = tuple(COUNTRY_CURRENCY[code] for code in CENTRAL_ASIA)
# The usual currencies of "rates" alone, per 1 USD (the /rates order).
_ALL_RATES = (*LOCAL_CURRENCIES, "RUB", "EUR", "CNY")
# The language of a chat tells its country when nothing else does.
LANGUAGE_CURRENCY: dict[str, str] = {
    "kk": "KZT",
    "ky": "KGS",
    "uz": "UZS",
    "tg": "TJS",
    "tk": "TMT",
}

# "rate", "exchange rate", "how much does ... cost" in the seven languages.
_RATE_WORDS = frozenset(
    {
        *("rate", "rates", "fx", "forex", "currency", "currencies"),
        *("курс", "курсы", "курса", "курсе", "курсом", "курсу", "курсов", "курсах"),
        *("валюта", "валюты", "валют", "стоит", "стоимость", "почем", "цена"),
        *("бағам", "бағамы", "бағамдары", "бағамдар", "айырбастау", "валютасы"),
        *("курстар", "курстары", "валюталар", "баасы", "наркы"),
        *("kurs", "kursi", "kurslar", "kurslari", "курси", "курслари", "valyuta", "narxi"),
        *("нархи", "қурб", "қурби", "курби", "асъор", "нарх", "арзиш"),
        *("kursy", "kurslary", "walýuta", "bahasy", "nyrhy", "hümmet", "hümmeti", "hümmetleri"),
    }
)
# Words around a rate question that change nothing: "what is THE dollar rate TODAY".
_QUIET_WORDS = frozenset(
    {
        *("the", "a", "an", "of", "for", "per", "vs", "versus", "against", "today", "now"),
        *("current", "currently", "official", "todays", "today's", "exchange", "me", "tell"),
        *("к", "против", "какой", "какая", "каков", "какие", "сейчас", "сегодня", "ну", "и"),
        *("текущий", "официальный", "нынче", "по", "скажи", "подскажи", "покажи", "цб"),
        *("қазір", "бүгін", "бүгүн", "азыр", "қандай", "кандай", "ресми", "расмий"),
        *("bugun", "bugungi", "hozir", "qanday", "rasmiy", "бугун", "ҳозир", "қандай"),
        *("имрӯз", "ҳозира", "чӣ", "расмӣ", "häzir", "şu", "gün", "şugünki", "resmi"),
        *("näçe", "nähili", "hakda", "haqida", "туралы", "жөнүндө", "дар", "бо"),
    }
)
# Longer texts are sentences about money, questions for the news search.
_MAX_NOISE_WORDS = 1
_TAG_RE = re.compile(r"<[^<>]{0,64}>")
_CODE_LIKE_RE = re.compile(r"[A-Za-z]{3}")


@dataclass(frozen=True, slots=True)
class RateQuestion:
    """A rate asked for without an amount.

    Attributes:
        currencies: The ISO codes named, in the order of the question: none ("rates"
            alone), one ("kzt") or two, different ("евро в тенге").
    """

    currencies: tuple[str, ...]


def _ordered(first: Mention, second: Mention) -> tuple[str, str]:
    """The pair as asked: a currency marked as the one to quote in ("в тенге") goes last."""
    if first.role == "target" and second.role != "target":
        return second.code, first.code
    if second.role == "source" and first.role != "source":
        return second.code, first.code
    return first.code, second.code


def parse_rate_question(text: object) -> RateQuestion | ParseFailure | None:
    """Read a rate question without an amount, in any of the seven languages.

    Punctuation, emoji, HTML tags, case and polite words around the question are
    ignored ("<b>Курс доллара???</b>", "what is the dollar rate today"). A text with a
    number, with several words we cannot place, or with three currencies is not a rate
    question. Never raises.

    Args:
        text: What the person typed, with or without a leading command.

    Returns:
        A RateQuestion; a ParseFailure (``same_currency`` for "usd usd",
        ``unknown_currency`` for "курс xyz") when it is one but cannot be answered; or
        None when the text is not a rate question.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return None
    cleaned = clean_text(_TAG_RE.sub(" ", text))
    if not cleaned:
        return None
    scan = scan_text(cleaned)
    if scan.numbers or len(scan.mentions) > 2:
        return None
    rate_words, codes, noise = _sort_unknown(scan.unknown)
    if not rate_words and not scan.mentions:
        return None
    # One stray word is forgiven only beside both a rate word and a currency: "milk price"
    # and "tenge devaluation" are questions for the news.
    if len(noise) > (_MAX_NOISE_WORDS if rate_words and scan.mentions else 0):
        return None
    if codes:
        return ParseFailure("unknown_currency", codes[0][:40])
    if len(scan.mentions) == 2:
        first, second = scan.mentions
        if first.code == second.code:
            return ParseFailure("same_currency", second.text[:40])
        return RateQuestion(_ordered(first, second))
    return RateQuestion(tuple(mention.code for mention in scan.mentions))


def _sort_unknown(words: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Split unplaced words into rate words, would-be currency codes and noise."""
    rate_words: list[str] = []
    codes: list[str] = []
    noise: list[str] = []
    for word in words:
        key = normalize_word(word)
        if not key or key in _QUIET_WORDS:
            continue
        if key in _RATE_WORDS:
            rate_words.append(word)
        elif _CODE_LIKE_RE.fullmatch(word):
            codes.append(word)
        else:
            noise.append(word)
    if not rate_words:
        # "xyz" is a code only when written as one or asked about ("курс xyz").
        noise += [code for code in codes if not code.isupper()]
        codes = [code for code in codes if code.isupper()]
    return rate_words, codes, noise


def home_currencies(digest_countries: Iterable[str], language: str) -> tuple[str, ...]:
    """The currencies a chat thinks in, for quoting a foreign currency named alone.

    Args:
        digest_countries: ISO country codes of the chat's digest; a choice of some of
            the five countries names the chat's own (all five says nothing).
        language: The chat's language: kk, ky, uz, tg and tk each name one country.

    Returns:
        The chosen countries' currencies, else the language's currency, else the five
        Central Asian currencies, in the region's order.
    """
    chosen = [COUNTRY_CURRENCY[c] for c in CENTRAL_ASIA if c in set(digest_countries)]
    if 0 < len(chosen) < len(CENTRAL_ASIA):
        return tuple(chosen)
    if language in LANGUAGE_CURRENCY:
        return (LANGUAGE_CURRENCY[language],)
    return LOCAL_CURRENCIES


def quote_pairs(question: RateQuestion, home: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The (unit, quoted-in) pairs that answer ``question``, e.g. ``(("USD", "KZT"),)``.

    Args:
        question: What was asked.
        home: The chat's currencies (``home_currencies``).
    """
    named = question.currencies
    if len(named) == 2:
        return ((named[0], named[1]),)
    if not named:
        return tuple(("USD", code) for code in _ALL_RATES)
    code = named[0]
    if code in LOCAL_CURRENCIES:
        return (("USD", code),)
    return tuple((code, other) for other in home if other != code) or (("USD", code),)
