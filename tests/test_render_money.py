"""How the bot shows conversion rates: six significant digits, never a dozen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.render_money import format_cross_rate


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        ("518.89989072", "518.90"),
        ("12098.0000001", "12,098.00"),
        ("87.4600123", "87.4600"),
        ("0.00192715124", "0.00192715"),
        ("0.0000826446281", "0.0000826446"),
        ("0.5", "0.500000"),
    ],
)
def test_cross_rates_keep_six_significant_digits(rate: str, shown: str) -> None:
    assert format_cross_rate(Decimal(rate)) == shown
