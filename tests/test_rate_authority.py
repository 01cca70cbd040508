"""The rate authority (core.authority): one rule decides every currency's current rate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.authority import (
    STAND_IN_AFTER_DAYS,
    choose_current,
    is_stand_in,
    pick_current,
    with_daily_change,
)
from core.types import RateQuote

DAY = date(2026, 4, 3)
D = Decimal


def _quote(
    currency: str, source: str, day: date, per_usd: str = "1", change: str | None = None
) -> RateQuote:
    return RateQuote(currency, D(per_usd), None if change is None else D(change), day, source)


def test_the_home_bank_stands_however_new_a_cross_rate_within_the_window() -> None:
    nbk = _quote("KZT", "nbk", DAY, "472.31")
    cbr = _quote("KZT", "cbr", DAY + timedelta(days=STAND_IN_AFTER_DAYS), "462.87")
    page = _quote("KZT", "page", DAY + timedelta(days=3), "518")
    assert pick_current([cbr, page, nbk])["KZT"] is nbk
    assert pick_current([nbk, page, cbr])["KZT"] is nbk


def test_a_cross_rate_stands_in_only_when_more_than_the_window_newer() -> None:
    nbk = _quote("KZT", "nbk", DAY, "472.31")
    cbr = _quote("KZT", "cbr", DAY + timedelta(days=STAND_IN_AFTER_DAYS + 1), "462.87")
    chosen = choose_current([nbk, cbr])
    assert chosen is cbr
    assert is_stand_in(cbr)
    assert not is_stand_in(nbk)


def test_the_window_is_measured_between_figures_not_from_today() -> None:
    nbk = _quote("UZS", "cbu", DAY, "12149.84")
    cbr = _quote("UZS", "cbr", DAY + timedelta(days=2), "12100")
    # A month later both are old: the home bank's figure still stands (shown stale).
    assert choose_current([nbk, cbr], today=DAY + timedelta(days=30)) is nbk


def test_a_figure_published_for_tomorrow_never_displaces_today() -> None:
    today_cbu = _quote("UZS", "cbu", DAY, "12149.84")
    tomorrow_cbu = _quote("UZS", "cbu", DAY + timedelta(days=1), "12150.10")
    assert choose_current([today_cbu, tomorrow_cbu], today=DAY) is today_cbu
    # Without a today every figure counts; with only tomorrow's, tomorrow's answers.
    assert choose_current([today_cbu, tomorrow_cbu]) is tomorrow_cbu
    assert choose_current([tomorrow_cbu], today=DAY) is tomorrow_cbu


def test_the_newest_stand_in_wins_and_a_page_ranks_after_banks() -> None:
    cbt = _quote("TMT", "cbt", DAY, "3.5")
    later = DAY + timedelta(days=20)
    cbr = _quote("TMT", "cbr", later, "3.49")
    page = _quote("TMT", "page", later, "3.5")
    assert choose_current([cbt, page, cbr]) is cbr
    assert choose_current([cbt, page]) is page


@pytest.mark.parametrize(
    ("currency", "home"),
    [
        ("KZT", "nbk"),
        ("KGS", "nbkr"),
        ("UZS", "cbu"),
        ("TJS", "nbt"),
        ("TMT", "cbt"),
        ("RUB", "cbr"),
    ],
)
def test_each_currency_has_its_home_bank(currency: str, home: str) -> None:
    others = [
        _quote(currency, source, DAY) for source in ("nbk", "cbu", "nbkr", "nbt", "cbt", "cbr")
    ]
    assert choose_current([*others, _quote(currency, "page", DAY)]).source == home  # type: ignore[union-attr]


def test_currencies_without_a_home_follow_the_documented_order() -> None:
    quotes = [_quote("EUR", source, DAY) for source in ("demo", "page", "cbr", "cbt", "cbu", "nbk")]
    assert pick_current(quotes)["EUR"].source == "nbk"
    assert pick_current(quotes[:-1])["EUR"].source == "cbu"
    assert pick_current(quotes[:2])["EUR"].source == "page"
    assert pick_current([]) == {}


def test_daily_change_comes_from_the_same_source_previous_day() -> None:
    today = _quote("KGS", "nbkr", DAY, "87.45")
    earlier = [
        _quote("KGS", "nbkr", DAY - timedelta(days=3), "87.40"),
        _quote("KGS", "nbkr", DAY - timedelta(days=1), "87.50"),
        _quote("KGS", "cbr", DAY - timedelta(days=1), "80"),
        _quote("KZT", "nbkr", DAY - timedelta(days=1), "5"),
    ]
    assert with_daily_change(today, earlier).change == D("-0.05")


def test_a_peg_shows_no_change_and_a_published_change_is_kept() -> None:
    peg = _quote("TMT", "cbt", DAY, "3.5")
    assert (
        with_daily_change(peg, [_quote("TMT", "cbt", DAY - timedelta(days=1), "3.5")]).change == 0
    )
    published = _quote("KZT", "nbk", DAY, "472.31", "-2.78")
    assert with_daily_change(published, [_quote("KZT", "nbk", DAY, "1")]) is published


def test_no_change_from_a_day_outside_the_window() -> None:
    today = _quote("TJS", "nbt", DAY, "9.4")
    old = _quote("TJS", "nbt", DAY - timedelta(days=STAND_IN_AFTER_DAYS + 1), "9.3")
    assert with_daily_change(today, [old]).change is None
