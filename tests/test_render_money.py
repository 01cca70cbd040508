"""How the bot shows rates and conversion rates: the digits the figures carry, no more."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exchange import make_conversion
from core.money import ConversionRequest
from core.types import RateQuote
from locales import use_language
from views.money import format_cross_rate, format_quote

DAY = date(2026, 4, 3)


def _current(*quotes: tuple[str, str, str]) -> dict[str, RateQuote]:
    return {
        code: RateQuote(code, Decimal(rate), None, DAY, source) for code, rate, source in quotes
    }


BANKS = _current(
    ("KZT", "472.31", "nbk"),
    ("RUB", "71.3121", "cbr"),
    ("EUR", "0.861512", "cbr"),
    ("UZS", "11979.45", "cbu"),
)
TICKER = _current(("KZT", "518", "page"), ("UZS", "10000", "page"), ("EUR", "0.8642", "page"))


@pytest.mark.parametrize(
    ("amount", "source", "target"),
    [
        ("100", "USD", "KZT"),
        ("100", "EUR", "RUB"),
        ("1000000", "EUR", "KZT"),
        ("123456.78", "KZT", "UZS"),
        ("1", "RUB", "USD"),
        ("999999999", "UZS", "EUR"),
    ],
)
def test_the_printed_rate_reproduces_the_printed_result(
    amount: str, source: str, target: str
) -> None:
    use_language("en")
    conversion = make_conversion(ConversionRequest(Decimal(amount), source, target), target, BANKS)
    assert not isinstance(conversion, type(None))
    shown = Decimal(format_cross_rate(conversion.rate).replace(",", ""))  # type: ignore[union-attr]
    places = -conversion.result.as_tuple().exponent  # type: ignore[union-attr, operator]
    assert (Decimal(amount) * shown).quantize(Decimal(1).scaleb(-places)) == conversion.result  # type: ignore[union-attr]


def test_a_ticker_figure_keeps_its_significant_digits() -> None:
    use_language("en")
    kzt = make_conversion(ConversionRequest(Decimal(100), "USD", "KZT"), "KZT", TICKER)
    uzs = make_conversion(ConversionRequest(Decimal(1000), "USD", "UZS"), "UZS", TICKER)
    assert (kzt.result, format_cross_rate(kzt.rate)) == (Decimal(51800), "518")  # type: ignore[union-attr]
    # "UZS/USD = 0.00008" has one significant digit: never "12,500,000.00 UZS".
    assert (uzs.result, format_cross_rate(uzs.rate)) == (Decimal(10000000), "10,000")  # type: ignore[union-attr]
    assert format_quote(TICKER["KZT"]) == "518"
    assert format_quote(TICKER["UZS"]) == "10,000"
    assert format_quote(BANKS["KZT"]) == "472.31"
