"""The rate chart: PNG bytes drawn in memory."""

from __future__ import annotations

import struct
from datetime import date, timedelta
from decimal import Decimal

import pytest

from views.chart import render_rate_chart


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_two_points_make_a_png() -> None:
    points = [(date(2026, 11, 26), Decimal("520.9")), (date(2026, 11, 27), Decimal("518.9"))]
    png = render_rate_chart(points, title="KZT per 1 USD", y_label="KZT per 1 USD")
    assert _size(png) == (800, 450)


def test_a_year_of_points_in_any_order() -> None:
    start = date(2025, 11, 28)
    points = [(start + timedelta(days=n), Decimal(500) + n % 17) for n in range(365)]
    png = render_rate_chart(list(reversed(points)), title="Тенге", y_label="₸")
    assert _size(png) == (800, 450)
    assert len(png) > 10_000


def test_the_picture_depends_on_the_data() -> None:
    days = [date(2026, 11, d) for d in (25, 26, 27)]
    rising = render_rate_chart(
        list(zip(days, map(Decimal, "123"), strict=True)), title="a", y_label="a"
    )
    falling = render_rate_chart(
        list(zip(days, map(Decimal, "321"), strict=True)), title="a", y_label="a"
    )
    assert rising != falling


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_points_is_an_error(count: int) -> None:
    points = [(date(2026, 11, 27), Decimal(1))] * count
    with pytest.raises(ValueError, match="at least 2"):
        render_rate_chart(points, title="x", y_label="x")
