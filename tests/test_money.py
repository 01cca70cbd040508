"""Tests for core.money: currency words, amount and request parsing, conversion arithmetic."""

from __future__ import annotations

import decimal
from decimal import ROUND_DOWN, Decimal, getcontext, localcontext
from fractions import Fraction
from math import floor

import pytest
from babel.numbers import format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.currency_words import MULTIPLIERS, SYMBOLS, WORDS, lookup_currency
from core.money import (
    FAILURE_REASONS,
    MAX_AMOUNT,
    ConversionRequest,
    ParseFailure,
    convert,
    cross_rate,
    find_currency,
    minor_units,
    parse_amount,
    parse_conversion,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- currency vocabulary -------------------------------------------------------------

CURRENCY_WORDS = [
    # USD
    ("$", "USD"),
    ("usd", "USD"),
    ("USD", "USD"),
    ("Usd", "USD"),
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("Dollars", "USD"),
    ("bucks", "USD"),
    ("доллар", "USD"),
    ("доллара", "USD"),
    ("долларов", "USD"),
    ("долларах", "USD"),
    ("ДОЛЛАРОВ", "USD"),
    ("бакс", "USD"),
    ("баксов", "USD"),
    ("dollari", "USD"),  # uz: AQSH dollari
    ("долларға", "USD"),  # kk dative
    ("доллари", "USD"),  # tg
    # EUR
    ("€", "EUR"),
    ("eur", "EUR"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("евро", "EUR"),
    ("еуро", "EUR"),  # kk
    ("yevro", "EUR"),  # uz
    ("ýewro", "EUR"),  # tk
    # RUB
    ("₽", "RUB"),
    ("rub", "RUB"),
    ("руб", "RUB"),
    ("руб.", "RUB"),
    ("рубль", "RUB"),
    ("рубля", "RUB"),
    ("рублей", "RUB"),
    ("рублём", "RUB"),
    ("rubl", "RUB"),  # uz, tk
    ("рубл", "RUB"),  # tg
    ("ruble", "RUB"),
    ("roubles", "RUB"),
    ("RUR", "RUB"),
    # CNY
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("cny", "CNY"),
    ("юань", "CNY"),
    ("юаней", "CNY"),
    ("юан", "CNY"),  # tg, uz
    ("yuan", "CNY"),
    ("ýuan", "CNY"),  # tk
    ("元", "CNY"),
    # KZT
    ("₸", "KZT"),
    ("kzt", "KZT"),
    ("тенге", "KZT"),
    ("теңге", "KZT"),
    ("ТЕҢГЕ", "KZT"),
    ("tenge", "KZT"),
    ("teńge", "KZT"),
    ("теңгеге", "KZT"),
    ("tengega", "KZT"),
    # KGS and UZS: the look-alikes
    ("сом", "KGS"),
    ("сома", "KGS"),
    ("сомов", "KGS"),
    ("som", "KGS"),
    ("soms", "KGS"),
    ("kgs", "KGS"),
    ("⃀", "KGS"),
    ("сомго", "KGS"),  # ky dative
    ("so'm", "UZS"),
    ("so‘m", "UZS"),
    ("soʻm", "UZS"),
    ("so’m", "UZS"),
    ("so`m", "UZS"),
    ("SO'M", "UZS"),
    ("сўм", "UZS"),
    ("сум", "UZS"),
    ("сума", "UZS"),
    ("сумов", "UZS"),
    ("сумы", "UZS"),
    ("sum", "UZS"),
    ("sums", "UZS"),
    ("uzs", "UZS"),
    ("so'mga", "UZS"),
    ("so'mlik", "UZS"),
    ("сўмдан", "UZS"),
    # TJS
    ("сомони", "TJS"),
    ("сомонӣ", "TJS"),
    ("somoni", "TJS"),
    ("somoniy", "TJS"),
    ("tjs", "TJS"),
    # TMT
    ("манат", "TMT"),
    ("манатов", "TMT"),
    ("manat", "TMT"),
    ("manada", "TMT"),  # tk dative
    ("манатқа", "TMT"),  # kk dative after a voiceless consonant
    ("манаттан", "TMT"),  # kk ablative
    ("tmt", "TMT"),
    # Others by code or a common word
    ("gbp", "GBP"),
    ("£", "GBP"),
    ("jpy", "JPY"),
    ("try", "TRY"),
    ("CHF", "CHF"),
]


@pytest.mark.parametrize(("word", "code"), CURRENCY_WORDS)
def test_find_currency_knows_words_in_every_language(word: str, code: str) -> None:
    assert find_currency(word) == code


@pytest.mark.parametrize(
    "word",
    [
        *("", "   ", "hello", "кот", "to", "в", "100", "$$", "ab", "xyz", "sumsum", "к", "some"),
        # Russian nouns that look like a currency plus a Turkic ending.
        *("сумка", "сумке", "рубка", "суммы"),
    ],
)
def test_find_currency_rejects_non_currencies(word: str) -> None:
    assert find_currency(word) is None


def test_historical_codes_are_not_currencies() -> None:
    # "bad" and "sur" are ISO codes of dead currencies; they must not hijack words.
    assert find_currency("bad") is None
    assert find_currency("sur") is None


@pytest.mark.parametrize(
    ("word", "role"),
    [("so'mga", "target"), ("теңгеге", "target"), ("dollardan", "source"), ("доллар", None)],
)
def test_case_endings_give_direction(word: str, role: str | None) -> None:
    found = lookup_currency(word)
    assert found is not None
    assert found[1] == role


def test_vocabulary_tables_hold_only_known_codes() -> None:
    codes = set(WORDS.values()) | set(SYMBOLS.values())
    assert all(len(code) == 3 and code.isupper() for code in codes)
    # No multiplier may double as a currency word, or "5k" would become a currency.
    assert not set(MULTIPLIERS) & set(WORDS)


# --- amounts -------------------------------------------------------------------------

AMOUNTS = [
    ("100", "100"),
    ("1 000,50", "1000.50"),
    ("1,000.50", "1000.50"),
    ("1.000,50", "1000.50"),
    ("1.5k", "1500"),
    ("1.5K", "1500"),
    ("5к", "5000"),
    ("5 тыс", "5000"),
    ("5 тыс.", "5000"),
    ("5 тысяч", "5000"),
    ("10 ming", "10000"),
    ("2 млн", "2000000"),
    ("2mln", "2000000"),
    ("2 m", "2000000"),
    ("1,5 млрд", "1500000000"),
    ("3bn", "3000000000"),
    ("$100", "100"),
    ("100$", "100"),
    ("₸5000", "5000"),
    ("100 usd", "100"),
    ("1\u00a0000", "1000"),  # no-break space
    ("1\u2009000", "1000"),  # thin space
    ("1\u202f000,5", "1000.5"),  # narrow no-break space
    ("1'000", "1000"),
    ("1’000.25", "1000.25"),
    ("1,000", "1000"),
    ("1.000", "1000"),
    ("1,000,000", "1000000"),
    ("1.000.000", "1000000"),
    ("1,5", "1.5"),
    ("1,50", "1.5"),
    ("1.5", "1.5"),
    ("10,000.5", "10000.5"),
    ("10.000,5", "10000.5"),
    ("0,500", "0.5"),
    ("1 000,500", "1000.5"),
    ("1,0000", "1"),
    (".5", "0.5"),
    ("007", "7"),
    ("1\u200b000", "1000"),  # zero-width space from a copy-paste
    ("１００", "100"),  # full-width digits
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_parse_amount_reads_what_people_type(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_scaled_amounts_are_plain_integers() -> None:
    amount = parse_amount("5k")
    assert isinstance(amount, Decimal)
    assert str(amount) == "5000"


AMOUNT_FAILURES = [
    ("", "empty"),
    ("   \n\t", "empty"),
    ("\u200b\u200f", "empty"),
    ("abc", "no_amount"),
    ("$", "no_amount"),
    ("-5", "not_positive"),
    ("−5", "not_positive"),
    ("0", "not_positive"),
    ("0,00", "not_positive"),
    ("0k", "not_positive"),
    ("12,34,567", "bad_amount"),
    ("1,000,5", "bad_amount"),
    ("1 00", "bad_amount"),
    ("1.000,000.5", "bad_amount"),
    ("1 000.000 000", "bad_amount"),
    ("100 usd kzt", "bad_amount"),
    ("1 2 3", "bad_amount"),
    ("10000000000000000", "too_large"),
    ("1 000 000 000 000 001", "too_large"),
    ("2000000 млрд", "too_large"),
    ("1" * 201, "too_long"),
]


@pytest.mark.parametrize(("text", "reason"), AMOUNT_FAILURES)
def test_parse_amount_failures_have_codes(text: str, reason: str) -> None:
    result = parse_amount(text)
    assert isinstance(result, ParseFailure)
    assert result.reason == reason


def test_max_amount_itself_is_allowed() -> None:
    assert parse_amount("1 000 000 000 000 000") == MAX_AMOUNT


# --- conversion requests -------------------------------------------------------------

REQUESTS = [
    ("100 usd kzt", "100", "USD", "KZT"),
    ("100 usd to kzt", "100", "USD", "KZT"),
    ("100 usd in kzt", "100", "USD", "KZT"),
    ("100 usd into kzt", "100", "USD", "KZT"),
    ("100 USD KZT", "100", "USD", "KZT"),
    ("100usd kzt", "100", "USD", "KZT"),
    ("100 долларов в тенге", "100", "USD", "KZT"),
    ("100 долларов во франках", "100", "USD", "CHF"),
    ("100 евро на рубли", "100", "EUR", "RUB"),
    ("1000 сом в сумы", "1000", "KGS", "UZS"),
    ("5k som in sum", "5000", "KGS", "UZS"),
    ("1 000,50 KZT UZS", "1000.50", "KZT", "UZS"),
    ("$100 to ₸", "100", "USD", "KZT"),
    ("100$ в ₽", "100", "USD", "RUB"),
    ("₸5000 в $", "5000", "KZT", "USD"),
    ("100 USD→KZT", "100", "USD", "KZT"),
    ("100 usd -> kzt", "100", "USD", "KZT"),
    ("100 usd->kzt", "100", "USD", "KZT"),
    ("100 usd = kzt", "100", "USD", "KZT"),
    ("100 usd/kzt", "100", "USD", "KZT"),
    ("100 usd-kzt", "100", "USD", "KZT"),
    ("сколько будет 100 долларов в тенге", "100", "USD", "KZT"),
    ("Сколько будет 100 долларов в тенге?", "100", "USD", "KZT"),
    ("how much is 100 usd in kzt?", "100", "USD", "KZT"),
    ("сколько тенге за 100 долларов", "100", "USD", "KZT"),
    ("в тенге 100 долларов", "100", "USD", "KZT"),
    ("100 US dollars to Kazakh tenge", "100", "USD", "KZT"),
    ("100 российских рублей в узбекские сумы", "100", "RUB", "UZS"),
    ("5к руб в тенге", "5000", "RUB", "KZT"),
    ("5 тыс. рублей в тенге", "5000", "RUB", "KZT"),
    ("1,5 млрд сум в доллары", "1500000000", "UZS", "USD"),
    ("2mln uzs usd", "2000000", "UZS", "USD"),
    ("usd 100 kzt", "100", "USD", "KZT"),
    ("/convert 100 usd kzt", "100", "USD", "KZT"),
    ("/convert@news_bot 100 usd kzt", "100", "USD", "KZT"),
    # Uzbek, Latin and Cyrillic
    ("100 dollar so'mga", "100", "USD", "UZS"),
    ("100 dollar so‘mga", "100", "USD", "UZS"),
    ("100 dollar so'm ga", "100", "USD", "UZS"),
    ("100 ta dollar necha so'm", "100", "USD", "UZS"),
    ("1 000 000 so'mdan dollarga", "1000000", "UZS", "USD"),
    ("so'mga 100 dollar", "100", "USD", "UZS"),
    ("100 доллар сўмга", "100", "USD", "UZS"),
    ("100 rubl so'mga", "100", "RUB", "UZS"),
    # Kazakh, Kyrgyz, Tajik, Turkmen
    ("100 долларға теңгеге", "100", "USD", "KZT"),
    ("100 доллар теңге-ге", "100", "USD", "KZT"),
    ("100 рубль теңгеге", "100", "RUB", "KZT"),
    ("100 доллар сомго", "100", "USD", "KGS"),
    ("100 юань сомго канча", "100", "CNY", "KGS"),
    ("100 доллар ба сомонӣ", "100", "USD", "TJS"),
    ("100 рубл ба сомони", "100", "RUB", "TJS"),
    ("100 dollar manada", "100", "USD", "TMT"),
    ("100 ýuan manat", "100", "CNY", "TMT"),
    ("100 ýewro manat", "100", "EUR", "TMT"),
    # Spacing and invisible characters
    ("  100\u00a0usd\tkzt  ", "100", "USD", "KZT"),
    ("1\u202f000 usd kzt", "1000", "USD", "KZT"),
    ("\u200f100 usd kzt\u200e", "100", "USD", "KZT"),
    ("100 usd kzt 🚀", "100", "USD", "KZT"),
    ("100 дол\u200bларов в тен\u00adге", "100", "USD", "KZT"),  # zero-width, soft hyphen
]


@pytest.mark.parametrize(("text", "amount", "source", "target"), REQUESTS)
def test_parse_conversion_examples(text: str, amount: str, source: str, target: str) -> None:
    assert parse_conversion(text) == ConversionRequest(Decimal(amount), source, target)


def test_single_currency_has_no_target_without_default() -> None:
    assert parse_conversion("100 usd") == ConversionRequest(Decimal(100), "USD", None)


def test_single_currency_takes_the_default_target() -> None:
    result = parse_conversion("100 долларов", default_target="kzt")
    assert result == ConversionRequest(Decimal(100), "USD", "KZT")


def test_explicit_target_beats_the_default() -> None:
    result = parse_conversion("100 usd rub", default_target="KZT")
    assert result == ConversionRequest(Decimal(100), "USD", "RUB")


def test_default_equal_to_source_is_ignored() -> None:
    result = parse_conversion("5000 тенге", default_target="KZT")
    assert result == ConversionRequest(Decimal(5000), "KZT", None)


CONVERSION_FAILURES = [
    ("", "empty", ""),
    ("   ", "empty", ""),
    ("x" * 201, "too_long", "x" * 39 + "…"),
    ("hello", "no_amount", "hello"),
    ("usd kzt", "no_amount", "usd kzt"),
    ("'; DROP TABLE users; --", "no_amount", "'; DROP TABLE users; --"),
    ("100 usd 200 kzt", "bad_amount", "200"),
    ("12,34,567 usd", "bad_amount", "12,34,567"),
    ("-100 usd kzt", "not_positive", "-100"),
    ("0 usd kzt", "not_positive", "0"),
    ("10000000000000000 usd kzt", "too_large", "10000000000000000"),
    ("100", "no_currency", "100"),
    ("100 в тенге", "no_currency", "100 в тенге"),
    ("100 abc", "unknown_currency", "abc"),
    ("100 usd to xyz", "unknown_currency", "xyz"),
    ("100 ₿ kzt", "unknown_currency", "₿"),
    ("100 usd kzt rub", "unknown_currency", "rub"),
    ("<b>100 usd</b>", "unknown_currency", "b"),
    ("100 usd " + "q" * 100, "unknown_currency", "q" * 39 + "…"),
    ("100 usd usd", "same_currency", "usd"),
    ("100 долларов в $", "same_currency", "$"),
    ("100 сом в сомах", "same_currency", "сомах"),
]


@pytest.mark.parametrize(("text", "reason", "fragment"), CONVERSION_FAILURES)
def test_parse_conversion_failures(text: str, reason: str, fragment: str) -> None:
    result = parse_conversion(text)
    assert isinstance(result, ParseFailure)
    assert (result.reason, result.fragment) == (reason, fragment)


def test_every_failure_reason_is_reachable() -> None:
    reasons = {reason for _, reason, _ in CONVERSION_FAILURES}
    assert reasons == FAILURE_REASONS


def test_som_and_sum_are_different_currencies() -> None:
    assert parse_conversion("100 som sum") == ConversionRequest(Decimal(100), "KGS", "UZS")
    assert parse_conversion("100 сом сўм") == ConversionRequest(Decimal(100), "KGS", "UZS")
    assert parse_conversion("100 сом сомони") == ConversionRequest(Decimal(100), "KGS", "TJS")


NASTY_INPUTS = [
    "\x00\x01\x02 100 usd",
    "100\x00usd",
    "\ud800 100 usd kzt",
    "\u202e100 usd kzt",
    "مرحبا 100 دولار",
    "שלום 100",
    "<script>alert(1)</script>",
    "1; DROP TABLE rates",
    "' OR 1=1 --",
    "⑳" * 200 + "k usd",
    "9" * 200,
    "1" * 199 + "k",
    "0." + "0" * 190 + "1 usd",
    "-" * 200,
    "->" * 100,
    "." * 200,
    "1,1,1,1,1,1,1,1 usd",
    "1e5 usd",
    "NaN usd",
    "Infinity usd",
    "x" * 10_000_000,
    "1 usd " * 1000,
    "🇰🇿" * 50,
    "\ufeff",
    "/convert",
    "/convert@bot",
]


@pytest.mark.parametrize("text", NASTY_INPUTS, ids=[f"nasty{i}" for i in range(len(NASTY_INPUTS))])
def test_parse_conversion_survives_nasty_input(text: str) -> None:
    result = parse_conversion(text)
    assert isinstance(result, ParseFailure | ConversionRequest)
    if isinstance(result, ParseFailure):
        assert result.reason in FAILURE_REASONS
        assert len(result.fragment) <= 40


def test_non_string_input_is_a_failure_not_a_crash() -> None:
    assert isinstance(parse_conversion(None), ParseFailure)  # type: ignore[arg-type]
    assert isinstance(parse_conversion(b"100 usd"), ParseFailure)  # type: ignore[arg-type]


def _check_parse_result(result: ConversionRequest | ParseFailure) -> None:
    if isinstance(result, ParseFailure):
        assert result.reason in FAILURE_REASONS
        assert len(result.fragment) <= 40
    else:
        assert isinstance(result, ConversionRequest)
        assert 0 < result.amount <= MAX_AMOUNT
        assert result.source != result.target


@FAST
@given(st.text())
def test_parse_conversion_never_raises_on_any_text(text: str) -> None:
    _check_parse_result(parse_conversion(text))
    amount = parse_amount(text)
    assert isinstance(amount, Decimal) or amount.reason in FAILURE_REASONS


# Pieces that reach deep into the parser far more often than random text.
_PIECES = st.sampled_from(
    [
        *[word for word, _ in CURRENCY_WORDS],
        *MULTIPLIERS,
        *("в", "to", "ga", "дан", "->", "=", "/", "-", "−", "сколько", "us", "?", "'", "`"),
        *(",", ".", " ", "\u00a0", "\u2009", "\u200b", "0", "1", "00", "000", "999", "5"),
    ]
)


@FAST
@given(st.lists(_PIECES | st.text(max_size=3), max_size=25), st.sampled_from(["", " "]))
def test_parse_conversion_never_raises_on_vocabulary_soup(pieces: list[str], sep: str) -> None:
    _check_parse_result(parse_conversion(sep.join(pieces), default_target="KZT"))


# --- formatting round trip ------------------------------------------------------------

_STYLES = ["en", "ru", "de", "fr", "kk", "uz", "ky", "tg", "tk", "es"]
_HAND_STYLES = [
    (",", "."),
    (".", ","),
    (" ", ","),
    ("\u00a0", ","),
    ("\u2009", "."),
    ("\u202f", ","),
    ("'", "."),
    ("’", "."),
    ("", "."),
    ("", ","),
]


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def _format_by_hand(amount: Decimal, group: str, mark: str) -> str:
    whole, _, fraction = f"{amount:f}".partition(".")
    text = _group(whole, group)
    return f"{text}{mark}{fraction}" if fraction else text


_MONEY = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2
) | st.integers(min_value=1, max_value=10**15).map(Decimal)


@FAST
@given(_MONEY, st.sampled_from(_STYLES))
def test_babel_formatted_amounts_parse_back(amount: Decimal, locale: str) -> None:
    text = format_decimal(amount, format="#,##0.##", locale=locale)
    assert parse_amount(text) == amount
    result = parse_conversion(f"{text} usd kzt")
    assert isinstance(result, ConversionRequest)
    assert result.amount == amount


@FAST
@given(_MONEY, st.sampled_from(_HAND_STYLES))
def test_hand_formatted_amounts_parse_back(amount: Decimal, style: tuple[str, str]) -> None:
    text = _format_by_hand(amount, *style)
    assert parse_amount(text) == amount
    assert parse_amount(f"{text}₸") == amount


# --- arithmetic ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "places"),
    [("KZT", 2), ("UZS", 2), ("KGS", 2), ("TJS", 2), ("TMT", 2), ("JPY", 0), ("BHD", 3)],
)
def test_minor_units(currency: str, places: int) -> None:
    assert minor_units(currency) == places
    assert minor_units(currency.lower()) == places


def test_convert_usd_to_kzt_example() -> None:
    result = convert(Decimal(100), Decimal(1), Decimal("478.77"), "KZT")
    assert result == Decimal("47877.00")
    assert str(result) == "47877.00"


def test_convert_between_two_non_usd_currencies() -> None:
    # 1000 KGS at 87.45/USD into UZS at 12 050.5/USD: 1000 * 12050.5 / 87.45 = 137798.742...
    result = convert(Decimal(1000), Decimal("87.45"), Decimal("12050.5"), "UZS")
    assert result == Decimal("137798.74")


def test_convert_rounds_to_whole_yen() -> None:
    assert str(convert(Decimal(10), Decimal(1), Decimal("151.57"), "JPY")) == "1516"


def test_convert_rounds_half_up() -> None:
    # Half-even would give 0.00 and 0.02 here; people expect 0.01 and 0.03.
    assert convert(Decimal("0.005"), Decimal(1), Decimal(1), "USD") == Decimal("0.01")
    assert convert(Decimal("0.025"), Decimal(1), Decimal(1), "USD") == Decimal("0.03")


def test_convert_ignores_and_keeps_the_global_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = ROUND_DOWN
        ctx.clear_flags()  # the copy inherits flags that earlier tests may have raised
        result = convert(Decimal(100), Decimal(1), Decimal("478.77"), "KZT")
        rate = cross_rate(Decimal("478.77"), Decimal(1))
        assert ctx.prec == 3
        assert ctx.rounding == ROUND_DOWN
        assert not ctx.flags[decimal.Inexact]
    assert result == Decimal("47877.00")
    assert rate == Decimal("0.00208868559016")


@pytest.mark.parametrize("bad", [Decimal(0), Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
def test_convert_rejects_impossible_rates(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        convert(Decimal(1), bad, Decimal(1), "KZT")
    with pytest.raises(ValueError):
        cross_rate(Decimal(1), bad)


def test_convert_huge_result_keeps_every_digit() -> None:
    result = convert(MAX_AMOUNT, Decimal("0.0001"), Decimal("99999.99"), "UZS")
    assert result == Decimal("999999900000000000000000.00")


def test_cross_rate_examples() -> None:
    assert cross_rate(Decimal(1), Decimal("478.77")) == Decimal("478.77")
    # KZT per 1 RUB when RUB is 80.5 and KZT 478.77 per USD.
    assert cross_rate(Decimal("80.5"), Decimal("478.77")) == Decimal("5.94745341615")


_RATES = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=4).filter(
    lambda rate: rate > 0
)
_AMOUNTS_2DP = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
_TARGETS = st.sampled_from(["KZT", "UZS", "USD", "JPY", "BHD", "KGS"])


def _half_up(exact: Fraction, places: int) -> Decimal:
    scaled = exact * 10**places
    return Decimal(floor(scaled + Fraction(1, 2))).scaleb(-places)


@FAST
@given(_AMOUNTS_2DP, _RATES, _RATES, _TARGETS)
def test_convert_is_correctly_rounded_with_exact_places(
    amount: Decimal, source: Decimal, target: Decimal, currency: str
) -> None:
    result = convert(amount, source, target, currency)
    places = minor_units(currency)
    assert result.as_tuple().exponent == -places
    exact = Fraction(amount) * Fraction(target) / Fraction(source)
    assert result == _half_up(exact, places)


@FAST
@given(_AMOUNTS_2DP, _RATES, _RATES)
def test_convert_there_and_back_is_within_one_minor_unit(
    amount: Decimal, rate_a: Decimal, rate_b: Decimal
) -> None:
    # Going first into the currency with more units per USD loses at most half a
    # (smaller) minor unit on the way out and half a minor unit on the way back.
    weak, strong = max(rate_a, rate_b), min(rate_a, rate_b)
    there = convert(amount, strong, weak, "KZT")
    back = convert(there, weak, strong, "USD")
    assert abs(back - amount) <= Decimal("0.01")


@FAST
@given(_AMOUNTS_2DP, _RATES, _RATES, st.integers(min_value=1, max_value=1000), _TARGETS)
def test_convert_scales_linearly(
    amount: Decimal, source: Decimal, target: Decimal, factor: int, currency: str
) -> None:
    unit = Decimal(1).scaleb(-minor_units(currency))
    exact = Fraction(amount) * Fraction(target) / Fraction(source)
    scaled = convert(amount * factor, source, target, currency)
    assert abs(Fraction(scaled) - exact * factor) <= Fraction(unit) / 2
    single = convert(amount, source, target, currency)
    assert abs(scaled - single * factor) <= unit * (factor + 1) / 2


@FAST
@given(_RATES, _RATES)
def test_cross_rate_has_twelve_significant_digits(source: Decimal, target: Decimal) -> None:
    rate = cross_rate(source, target)
    assert len(rate.as_tuple().digits) <= 12
    exact = Fraction(target) / Fraction(source)
    assert abs(Fraction(rate) - exact) <= exact * Fraction(1, 10**11)


def test_global_context_is_untouched_after_all_of_it() -> None:
    before = getcontext().copy()
    parse_conversion("1,5 млрд сум в доллары")
    convert(Decimal("1.005"), Decimal(3), Decimal(7), "KZT")
    cross_rate(Decimal(3), Decimal(7))
    after = getcontext()
    assert (after.prec, after.rounding, after.Emax, after.Emin) == (
        before.prec,
        before.rounding,
        before.Emax,
        before.Emin,
    )
