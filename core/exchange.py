"""Conversions between stored currencies through USD, with the figures behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.money import ConversionRequest, convert, cross_rate
from core.types import RateQuote

# The order people expect to read: the five home currencies, then the big neighbours.
DISPLAY_CURRENCIES = ("KZT", "KGS", "UZS", "TJS", "TMT", "RUB", "EUR", "CNY")
USD_QUOTE_SOURCE = "usd"


@dataclass(frozen=True, slots=True)
class Conversion:
    """An amount converted, with the rate used and where it came from."""

    amount: Decimal
    source: str
    target: str
    result: Decimal
    rate: Decimal
    as_of: date | None
    origin: str


@dataclass(frozen=True, slots=True)
class MissingRate:
    """No stored rate for this currency, so the conversion cannot be made."""

    currency: str


def make_conversion(
    request: ConversionRequest, target: str, current: dict[str, RateQuote]
) -> Conversion | MissingRate:
    """Convert ``request.amount`` from its currency to ``target`` using the current quotes.

    Args:
        request: What the person asked for.
        target: The currency to convert to (the request's own or a default).
        current: The authoritative quote of each currency, as ``pick_current`` gives.
    """
    legs: list[RateQuote] = []
    per_usd: dict[str, Decimal] = {"USD": Decimal(1)}
    for currency in (request.source, target):
        if currency == "USD":
            continue
        quote = current.get(currency)
        if quote is None:
            return MissingRate(currency)
        legs.append(quote)
        per_usd[currency] = quote.per_usd
    result = convert(request.amount, per_usd[request.source], per_usd[target], target)
    rate = cross_rate(per_usd[request.source], per_usd[target])
    # A two-leg conversion is only as fresh as its older leg.
    as_of = min((leg.as_of for leg in legs), default=None)
    origin = "/".join(dict.fromkeys(leg.source for leg in legs)) or USD_QUOTE_SOURCE
    return Conversion(request.amount, request.source, target, result, rate, as_of, origin)


def format_decimal(value: Decimal) -> str:
    """A Decimal as plain digits, never in exponent form, without trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
