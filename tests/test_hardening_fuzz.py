"""Hypothesis runs over the hardened edges: detection, the plausibility door, the views.

They run in CI with the rest of the suite (``.ci/run``); each keeps to a few hundred
examples so a local run stays short.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.plain_text import KEPT_FORMAT_CHARACTERS, clean_line
from core.plausibility import bounds_of, check_quote
from core.types import RateQuote
from sources.banks import detect_bank
from sources.detect import detect_format
from sources.rate_gate import judge_quotes
from views.digest import render_rates_line
from views.formatting import exact, number
from views.money import format_cross_rate, render_rates

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAY = date(2026, 4, 3)

figures = st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.sampled_from(
    [Decimal("1e43"), Decimal("1e-43"), Decimal("-1e29"), Decimal(0), Decimal("1E+999")]
)
currencies = st.sampled_from(["KZT", "KGS", "UZS", "TJS", "TMT", "RUB", "EUR", "JPY"])
lines = st.sampled_from(
    [b'{"title": "x"}', b'{"title": ', b"[1, 2]", b"", b"   ", b"<?a?>", b"<rss>", b"\xff\xfe"]
) | st.binary(max_size=30)


@FUZZ
@given(st.lists(lines, max_size=40).map(b"\n".join))
def test_detection_of_line_soup_never_fails(data: bytes) -> None:
    assert detect_format(data) in {None, "page", "feed", "jsonl", "nbk", "nbkr", "cbu", "nbt",
                                   "cbt", "cbr"}  # fmt: skip
    detect_bank(data)


@FUZZ
@given(currencies, figures, st.none() | figures, st.integers(0, 4000))
def test_the_door_judges_any_figure_without_raising(
    currency: str, figure: Decimal, previous: Decimal | None, days: int
) -> None:
    earlier = None
    if previous is not None:
        earlier = RateQuote(currency, previous, None, DAY - timedelta(days=days), "nbk")
    quote = RateQuote(currency, figure, None, DAY, "nbk")
    rejection = check_quote(quote, earlier)
    bounds = bounds_of(currency)
    if rejection is None:  # whatever passes lies inside the absolute range
        assert bounds.low <= figure <= bounds.high


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 60), figures), max_size=30))
def test_every_accepted_figure_lies_in_range(days_and_figures: list[tuple[int, Decimal]]) -> None:
    quotes = {DAY + timedelta(days=d): RateQuote("KZT", f, None, DAY + timedelta(days=d), "nbk")
              for d, f in days_and_figures}  # fmt: skip
    accepted, rejected = judge_quotes(list(quotes.values()), [])
    assert len(accepted) + len(rejected) == len(quotes)
    assert all(Decimal(50) <= q.per_usd <= Decimal(5000) for q in accepted)


@FUZZ
@given(figures.filter(lambda d: d.is_finite()), st.integers(0, 12))
def test_views_of_any_figure_render(figure: Decimal, places: int) -> None:
    assert number(figure, places) and exact(figure)
    quote = RateQuote("KZT", figure, figure, DAY, "nbk")
    assert "KZT" in render_rates([quote], DAY)
    assert "KZT" in render_rates_line({"KZT": quote}, quote.as_of)
    if figure > 0:
        assert format_cross_rate(figure)


@FUZZ
@given(st.text(max_size=200))
def test_clean_lines_hold_no_invisible_format_character(text: str) -> None:
    cleaned = clean_line(text)
    assert all(unicodedata.category(c) != "Cf" or c in KEPT_FORMAT_CHARACTERS for c in cleaned)
