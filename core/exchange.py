"""Conversions between stored currencies through USD, with the figures behind them.

Precision, decided once here for every screen and the CLI:

* A bank's figure is exact: a conversion with it is rounded to the target's minor units
  only, and the rate printed under it has as many significant digits (6 to 12) as it
  takes for ``amount × printed rate`` to give the printed result.
* A ticker's figure (a news page's "KZT/USD = 0.00193") is only known to the ticker's
  significant digits (three here, so 518 tenge per dollar); the rate and the result of a
  conversion through it keep no more digits than that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal

from core.authority import is_ticker
from core.money import ConversionRequest, convert, cross_rate, minor_units
from core.types import RateQuote

# The order people expect to read: the five home currencies, then the big neighbours.
DISPLAY_CURRENCIES = ("KZT", "KGS", "UZS", "TJS", "TMT", "RUB", "EUR", "CNY")
USD_QUOTE_SOURCE = "usd"
# The currencies an amount is converted into when no target is named, on every screen.
DEFAULT_TARGETS = ("USD", *DISPLAY_CURRENCIES)
SHOWN_RATE_DIGITS = 6
MAX_RATE_DIGITS = 12


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
    digits = min(
        (significant_digits(leg.per_usd) for leg in legs if is_ticker(leg.source)), default=None
    )
    full_rate = cross_rate(per_usd[request.source], per_usd[target])
    if digits is None:
        result = convert(request.amount, per_usd[request.source], per_usd[target], target)
        rate = _shortest_rate(full_rate, request.amount, result, target)
    else:
        rate = _round_significant(full_rate, digits)
        result = _round_significant(request.amount * rate, digits, minor_units(target))
    # A two-leg conversion is only as fresh as its older leg.
    as_of = min((leg.as_of for leg in legs), default=None)
    origin = "/".join(dict.fromkeys(leg.source for leg in legs)) or USD_QUOTE_SOURCE
    return Conversion(request.amount, request.source, target, result, rate, as_of, origin)


def convert_to_defaults(
    request: ConversionRequest, current: dict[str, RateQuote]
) -> list[Conversion] | MissingRate:
    """Convert into every currency of ``DEFAULT_TARGETS`` that has a rate (the bot and the
    CLI both answer "100 usd" with no target this way); MissingRate when the source has none."""
    found: list[Conversion] = []
    for target in DEFAULT_TARGETS:
        if target == request.source:
            continue
        result = make_conversion(request, target, current)
        if isinstance(result, MissingRate):
            if result.currency == request.source:
                return result
            continue
        found.append(result)
    return found


def significant_digits(value: Decimal) -> int:
    """How many significant digits ``value`` carries (``518`` 3, ``10000`` 1, ``0.00193`` 3)."""
    digits = value.normalize().as_tuple().digits
    return max(1, len(digits))


def rate_places(quote: RateQuote) -> int:
    """Decimals a rate per 1 USD is shown with, on every screen.

    By size, so small figures (EUR per USD) still show their movement; a ticker's figure
    never shows more decimals than it carries (518, not 518.00).
    """
    size = abs(quote.per_usd)
    places = 2 if size >= 100 else 4 if size >= 1 else 6
    if is_ticker(quote.source):
        exponent = quote.per_usd.normalize().as_tuple().exponent
        carried = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return min(places, carried)
    return places


def _round_significant(value: Decimal, digits: int, max_places: int | None = None) -> Decimal:
    """``value`` to ``digits`` significant digits (and at most ``max_places`` decimals),
    written without an exponent, so 12,500 keeps its zeros as places, not as 1.25E+4."""
    rounded = Context(prec=digits, rounding=ROUND_HALF_UP).plus(value)
    exponent = rounded.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    if max_places is not None:
        places = min(places, max_places)
    return _quantize(rounded, max(places, 0))


def _quantize(value: Decimal, places: int) -> Decimal:
    digits = max(34, value.adjusted() + places + 2)
    return value.quantize(
        Decimal((0, (1,), -places)), context=Context(prec=digits, rounding=ROUND_HALF_UP)
    )


def _shortest_rate(rate: Decimal, amount: Decimal, result: Decimal, target: str) -> Decimal:
    """The rate to SHOWN_RATE_DIGITS significant digits, or more, up to all it has, until
    ``amount × rate`` rounds to ``result``: the printed rate reproduces the printed result."""
    places = minor_units(target)
    for digits in range(SHOWN_RATE_DIGITS, MAX_RATE_DIGITS + 1):
        shown = Context(prec=digits, rounding=ROUND_HALF_UP).plus(rate)
        if _quantize(Context(prec=40).multiply(amount, shown), places) == result:
            return shown
    return rate


def format_decimal(value: Decimal) -> str:
    """A Decimal as plain digits, never in exponent form, without trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
