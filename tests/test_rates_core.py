"""Cross rates against USD and the choice of the authoritative quote (core.rates)."""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal

import pytest

from core.rates import HOME_BANK, SOURCE_PRIORITY, cross_quotes, source_rank
from core.types import RateQuote

DAY = date(2026, 4, 3)
D = Decimal

# NBK on 03.04.2026, per ONE unit: USD 472.31, UZS 3.89/100, EUR 543.72.
KZT_TABLE = {"USD": D("472.31"), "UZS": D("0.0389"), "EUR": D("543.72")}
# The same rows minus NBK's change field: USD -2.78, UZS -0.02 (per 100), EUR -7.34.
KZT_PREVIOUS = {"USD": D("475.09"), "UZS": D("0.0391"), "EUR": D("551.06")}


def _by_code(quotes: list[RateQuote]) -> dict[str, RateQuote]:
    return {quote.currency: quote for quote in quotes}


def _quote(currency: str, source: str, day: date, per_usd: str = "1") -> RateQuote:
    return RateQuote(currency, D(per_usd), None, day, source)


def test_home_banks_are_the_six_central_banks() -> None:
    assert HOME_BANK == {
        "KZT": "nbk",
        "KGS": "nbkr",
        "UZS": "cbu",
        "TJS": "nbt",
        "TMT": "cbt",
        "RUB": "cbr",
    }


def test_priority_puts_central_asian_banks_before_cbr_and_page_last() -> None:
    assert set(SOURCE_PRIORITY[:5]) == {"nbk", "cbu", "nbkr", "nbt", "cbt"}
    assert SOURCE_PRIORITY[5:] == ("cbr", "page", "demo")


def test_source_rank_home_bank_beats_listed_order_and_unknown_is_last() -> None:
    assert source_rank("RUB", "cbr") == 0
    assert source_rank("RUB", "nbk") < source_rank("EUR", "cbr")
    assert source_rank("EUR", "page") < source_rank("EUR", "somebody")


def test_cross_quotes_turns_a_base_table_into_per_usd() -> None:
    quotes = cross_quotes("KZT", KZT_TABLE, None, DAY, "nbk")
    by_code = _by_code(quotes)

    assert quotes[0] == RateQuote("KZT", D("472.31"), None, DAY, "nbk")
    assert "USD" not in by_code
    assert set(by_code) == {"KZT", "UZS", "EUR"}
    # 472.31 / 0.0389 = 12141.64524421..., 12 significant digits.
    assert by_code["UZS"].per_usd == D("12141.6452442")
    # 472.31 / 543.72 = 0.86866401824505...
    assert by_code["EUR"].per_usd == D("0.868664018245")
    assert all(q.as_of == DAY and q.source == "nbk" and q.change is None for q in quotes)


def test_cross_quotes_changes_come_from_the_previous_table() -> None:
    by_code = _by_code(cross_quotes("KZT", KZT_TABLE, KZT_PREVIOUS, DAY, "nbk"))

    # The base's own change is exact: 472.31 - 475.09.
    assert by_code["KZT"].change == D("-2.78")
    # Before: 475.09 / 0.0391 = 12150.6393862 (12 digits); now 12141.6452442.
    assert by_code["UZS"].change == D("12141.6452442") - D("12150.6393862")
    # Before: 475.09 / 551.06 = 0.862138424128; now 0.868664018245.
    assert by_code["EUR"].change == D("0.868664018245") - D("0.862138424128")


def test_cross_quotes_missing_previous_value_leaves_change_unknown() -> None:
    previous = {"USD": D("475.09"), "UZS": D("0.0391")}
    by_code = _by_code(cross_quotes("KZT", KZT_TABLE, previous, DAY, "nbk"))
    assert by_code["UZS"].change is not None
    assert by_code["EUR"].change is None

    no_usd_before = _by_code(cross_quotes("KZT", KZT_TABLE, {"UZS": D("0.0391")}, DAY, "nbk"))
    assert all(q.change is None for q in no_usd_before.values())


def test_cross_quotes_keeps_the_sources_digits_for_the_base() -> None:
    quotes = cross_quotes("KGS", {"USD": D("87.4500"), "KZT": D("0.1859")}, None, DAY, "nbkr")
    assert str(quotes[0].per_usd) == "87.4500"
    # 87.45 / 0.1859 = 470.41420118...
    assert quotes[1].per_usd == D("470.414201183")


def test_cross_quotes_rounds_to_twelve_significant_digits() -> None:
    table = {"USD": D("1"), "AAA": D("3"), "BBB": D("0.000000007")}
    by_code = _by_code(cross_quotes("XXX", table, None, DAY, "page"))
    assert by_code["AAA"].per_usd == D("0.333333333333")
    # 1 / 0.000000007 = 142857142.857142857...
    assert by_code["BBB"].per_usd == D("142857142.857")


def test_cross_quotes_ignores_the_callers_decimal_context() -> None:
    expected = cross_quotes("KZT", KZT_TABLE, KZT_PREVIOUS, DAY, "nbk")
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        inside = cross_quotes("KZT", KZT_TABLE, KZT_PREVIOUS, DAY, "nbk")
        assert ctx.prec == 3
    assert inside == expected


def test_cross_quotes_skips_non_positive_rates_and_the_base_itself() -> None:
    table = {
        "USD": D("472.31"),
        "KZT": D("1"),
        "ZZZ": D("0"),
        "NEG": D("-5"),
        "NAN": D("NaN"),
        "EUR": D("543.72"),
    }
    quotes = cross_quotes("KZT", table, None, DAY, "nbk")
    assert [q.currency for q in quotes] == ["KZT", "EUR"]
    assert quotes[0].per_usd == D("472.31")


def test_cross_quotes_non_positive_previous_value_gives_no_change() -> None:
    previous = {"USD": D("475.09"), "UZS": D("0"), "EUR": D("551.06")}
    by_code = _by_code(cross_quotes("KZT", KZT_TABLE, previous, DAY, "nbk"))
    assert by_code["UZS"].change is None
    assert by_code["EUR"].change is not None


@pytest.mark.parametrize("usd", [None, D("0"), D("-1"), D("NaN")])
def test_cross_quotes_needs_a_positive_usd_rate(usd: Decimal | None) -> None:
    table = {"EUR": D("543.72")}
    if usd is not None:
        table["USD"] = usd
    with pytest.raises(ValueError, match="USD"):
        cross_quotes("KZT", table, None, DAY, "nbk")
