"""Chart axes and gaps (views.chart): labels never repeat, the year shows across years,
and a break in publication is a gap, not a straight line."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest

from views.chart import GAP_AFTER_DAYS, _with_gaps, axis_ticks


def _short(day: date) -> str:
    return day.strftime("%b")  # a coarse labeller: many days share a label


@pytest.mark.parametrize("span", [0, 1, 2, 6, 7, 30, 90, 365, 400])
def test_axis_labels_never_repeat(span: int) -> None:
    first = date(2025, 11, 20)
    ticks, labels = axis_ticks(first, first + timedelta(days=span), _short)
    assert len(labels) == len(set(labels)) == len(ticks)
    assert 1 <= len(ticks) <= 7
    assert ticks[0] == first


def test_a_long_break_is_drawn_as_a_gap() -> None:
    points = [
        (date(2026, 1, 1), Decimal("3.5")),
        (date(2026, 1, 2), Decimal("3.5")),
        (date(2026, 1, 2) + timedelta(days=GAP_AFTER_DAYS + 1), Decimal("3.5")),
        # A weekend is not a gap.
        (date(2026, 1, 2) + timedelta(days=GAP_AFTER_DAYS + 4), Decimal("3.5")),
    ]
    _days, values = _with_gaps(points)
    assert [math.isnan(v) for v in values] == [False, False, True, False, False]


def test_the_year_shows_when_the_period_crosses_a_year() -> None:
    from views.chart import render_rate_chart

    seen: list[str] = []

    def with_year(day: date) -> str:
        seen.append(day.strftime("%Y"))
        return day.isoformat()

    points = [(date(2025, 12, 1), Decimal(470)), (date(2026, 2, 1), Decimal(480))]
    png = render_rate_chart(
        points, title="KZT", y_label="KZT", day_label=lambda d: "no year", year_label=with_year
    )
    assert png.startswith(b"\x89PNG") and seen and set(seen) <= {"2025", "2026"}
