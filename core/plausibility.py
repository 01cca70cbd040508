"""Whether a rate figure is believable before it is stored: one table of bounds per currency.

A figure is checked twice. First against a wide absolute range of units per 1 USD, far
outside anything the currency has been in this century, so only broken files and
typos fail it (``1e29`` KZT, a ticker's ``0.000…0001``). Then against the same
source's nearest earlier stored day: the move between the two may grow with the days
between them, so a devaluation passes, a wrong unit count (x100) does not, and an old
file imported late is judged against its own neighbours, not against today's rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from core.types import RateQuote

__all__ = [
    "BOUNDS",
    "DEFAULT_BOUNDS",
    "RateBounds",
    "Rejection",
    "bounds_of",
    "check_quote",
]

RejectionKind = Literal["range", "move"]


@dataclass(frozen=True, slots=True)
class RateBounds:
    """What is believable for one currency.

    Attributes:
        low: The fewest units per 1 USD accepted at all.
        high: The most units per 1 USD accepted at all.
        daily_move: The largest move per day since the previous figure, as a fraction
            (0.3 = 30 %); ``n`` days apart allow ``n`` times as much, both up and down
            (a fall to 1/(1 + m) is as suspect as a rise to 1 + m).
    """

    low: Decimal
    high: Decimal
    daily_move: Decimal


def _bounds(low: str, high: str, daily_move: str) -> RateBounds:
    return RateBounds(Decimal(low), Decimal(high), Decimal(daily_move))


# docs/operating.md (Reliability) prints this table; keep the two in step.
# Largest real one-day moves behind the limits: KZT +26 % (Aug 2015), TMT +23 % (Jan 2015),
# RUB +20 % (Dec 2014), UZS +92 % (Sep 2017, the float).
BOUNDS: dict[str, RateBounds] = {
    "KZT": _bounds("50", "5000", "0.3"),
    "KGS": _bounds("10", "1000", "0.3"),
    "UZS": _bounds("100", "100000", "1"),
    "TJS": _bounds("0.5", "200", "0.3"),
    "TMT": _bounds("0.5", "100", "0.3"),
    "RUB": _bounds("1", "2000", "0.3"),
    "EUR": _bounds("0.2", "5", "0.1"),
    "CNY": _bounds("1", "50", "0.1"),
}
# Every other currency a bank lists (yen, dong, rial, SDR, ...).
DEFAULT_BOUNDS = _bounds("0.0001", "10000000", "0.5")


def bounds_of(currency: str) -> RateBounds:
    """The bounds that apply to ``currency``."""
    return BOUNDS.get(currency, DEFAULT_BOUNDS)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A figure held back, and why.

    Attributes:
        quote: The figure as the source gave it.
        kind: ``range`` (outside the absolute bounds) or ``move`` (too far from the
            previous day).
        bounds: The bounds it was judged by.
        previous: For ``move``: the earlier figure it was compared with.
    """

    quote: RateQuote
    kind: RejectionKind
    bounds: RateBounds
    previous: RateQuote | None = None

    def summary(self) -> str:
        """One line in English for logs and the command line."""
        quote = self.quote
        head = f"{quote.currency} {quote.per_usd} on {quote.as_of.isoformat()} from {quote.source}"
        if self.kind == "range" or self.previous is None:
            return (
                f"{head} held back: outside {self.bounds.low}..{self.bounds.high} "
                f"{quote.currency} per USD"
            )
        return (
            f"{head} held back: too far from {self.previous.per_usd} "
            f"on {self.previous.as_of.isoformat()} (at most {allowed_move(self).normalize():%} "
            f"in {days_apart(self)} days)"
        )


def days_apart(rejection: Rejection) -> int:
    """Days between a ``move`` rejection's figure and the earlier one (at least 1)."""
    if rejection.previous is None:
        return 1
    return max(1, (rejection.quote.as_of - rejection.previous.as_of).days)


def allowed_move(rejection: Rejection) -> Decimal:
    """The largest move a ``move`` rejection's figure was allowed, as a fraction."""
    return rejection.bounds.daily_move * days_apart(rejection)


def _in_range(value: Decimal, bounds: RateBounds) -> bool:
    return value.is_finite() and bounds.low <= value <= bounds.high


def _moved_too_far(value: Decimal, previous: Decimal, limit: Decimal) -> bool:
    # Compared as a ratio, so a fall counts as much as the rise that would undo it.
    ratio = value / previous if value >= previous else previous / value
    return ratio > 1 + limit


def check_quote(quote: RateQuote, previous: RateQuote | None) -> Rejection | None:
    """Judge one figure; None when it is believable.

    Args:
        quote: The figure to store.
        previous: The same source's figure of the same currency on the nearest earlier
            stored day, or None when there is none.
    """
    bounds = bounds_of(quote.currency)
    if not _in_range(quote.per_usd, bounds):
        return Rejection(quote, "range", bounds)
    if previous is None or not _in_range(previous.per_usd, bounds):
        return None
    days = max(1, (quote.as_of - previous.as_of).days)
    if _moved_too_far(quote.per_usd, previous.per_usd, bounds.daily_move * days):
        return Rejection(quote, "move", bounds, previous)
    return None


def nearest_earlier(day: date, figures: dict[date, RateQuote]) -> RateQuote | None:
    """The figure dated closest before ``day`` among ``figures`` (by date), or None."""
    earlier = [when for when in figures if when < day]
    return figures[max(earlier)] if earlier else None
