"""The rate authority: which stored figure is a currency's current rate.

One function, ``choose_current``, makes the choice and every screen asks it (through
``pick_current`` and ``storage.rates.list_current_rates``):

* Each currency has a primary source: its home bank (KZT → NBK, KGS → NBKR, UZS → CBU,
  TJS → NBT, TMT → CBT, RUB → CBR); any other currency takes the first bank of
  ``SOURCE_PRIORITY`` that quotes it, then a news page's ticker, then demo data.
* The primary source's newest figure is the current rate, however old (the screens mark
  it stale). Another source's figure stands in only when its date is more than
  ``STAND_IN_AFTER_DAYS`` newer than the primary's newest date: measured between the two
  figures, not from today, so a weekend or a holiday never hands a currency to a
  foreign bank's cross rate.
* With ``today`` known, figures dated after it (CBR and CBU publish tomorrow's rate in
  advance) are left out, unless a currency has nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_EVEN, Context

from core.types import RateQuote

HOME_BANK: dict[str, str] = {
    "KZT": "nbk",
    "KGS": "nbkr",
    "UZS": "cbu",
    "TJS": "nbt",
    "TMT": "cbt",
    "RUB": "cbr",
}

# For currencies without a home bank here (EUR, CNY, ...): the Central Asian banks,
# then CBR (it quotes everything, second-hand), then a news page's ticker, then demo.
SOURCE_PRIORITY: tuple[str, ...] = ("nbk", "cbu", "nbkr", "nbt", "cbt", "cbr", "page", "demo")

# A week covers a weekend plus the longest run of bank holidays in the region.
STAND_IN_AFTER_DAYS = 7
DEMO_SOURCE = "demo"
# A figure older than this (from the reader's today) carries the stale mark on every screen.
STALE_AFTER_DAYS = 3

_EXACT_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


def source_rank(currency: str, source: str) -> int:
    """Return how much ``source`` is trusted for ``currency``: lower is better.

    0 for the currency's home bank, then 1 + the position in SOURCE_PRIORITY; a news
    site's own ticker (``timesca-page``) ranks as ``page``; unknown sources rank last.
    """
    if HOME_BANK.get(currency) == source:
        return 0
    name = "page" if source.endswith("-page") else source
    try:
        return 1 + SOURCE_PRIORITY.index(name)
    except ValueError:
        return 1 + len(SOURCE_PRIORITY)


def is_ticker(source: str) -> bool:
    """Whether a figure comes from a news page's ticker rather than a bank's file."""
    return source in ("page", DEMO_SOURCE) or source.endswith("-page")


def is_stand_in(quote: RateQuote) -> bool:
    """Whether ``quote`` is another bank's cross rate standing in for the home bank's."""
    home = HOME_BANK.get(quote.currency)
    return home is not None and quote.source != home and not is_ticker(quote.source)


def is_stale(quote: RateQuote, today: date) -> bool:
    """Whether a figure is older than STALE_AFTER_DAYS on ``today``."""
    return (today - quote.as_of).days > STALE_AFTER_DAYS


def choose_current(quotes: Iterable[RateQuote], today: date | None = None) -> RateQuote | None:
    """Return the current rate among one currency's stored figures (see the module rules).

    Args:
        quotes: Figures of ONE currency from any sources and dates.
        today: The reader's today; figures dated after it are used only when nothing else
            is stored. None: every figure counts.

    Returns:
        The chosen figure, or None when ``quotes`` is empty.
    """
    usable = list(quotes)
    if today is not None:
        usable = [q for q in usable if q.as_of <= today] or usable
    if not usable:
        return None
    newest: dict[str, RateQuote] = {}
    for quote in usable:
        held = newest.get(quote.source)
        if held is None or quote.as_of > held.as_of:
            newest[quote.source] = quote
    currency = usable[0].currency
    # The primary source: the best-ranked one present (first seen on a tie of ranks).
    primary = min(newest.values(), key=lambda q: source_rank(currency, q.source))
    stand_ins = [q for q in newest.values() if (q.as_of - primary.as_of).days > STAND_IN_AFTER_DAYS]
    if not stand_ins:
        return primary
    return max(stand_ins, key=lambda q: (q.as_of, -source_rank(currency, q.source)))


def pick_current(quotes: Iterable[RateQuote], today: date | None = None) -> dict[str, RateQuote]:
    """Return the current rate of every currency in ``quotes`` (``choose_current`` each)."""
    by_currency: dict[str, list[RateQuote]] = {}
    for quote in quotes:
        by_currency.setdefault(quote.currency, []).append(quote)
    chosen = {code: choose_current(group, today) for code, group in by_currency.items()}
    return {code: quote for code, quote in chosen.items() if quote is not None}


def with_daily_change(quote: RateQuote, earlier: Iterable[RateQuote]) -> RateQuote:
    """Give ``quote`` a change from the same source's previous stored day when it has none.

    Banks such as NBKR, NBT, CBT and CBR publish no change field. The previous day counts
    only within ``STAND_IN_AFTER_DAYS``; a peg (TMT at 3.5) gets a change of 0.

    Args:
        quote: The current figure.
        earlier: Stored figures of any currency and source; only the same currency and
            source, dated before ``quote``, are used.
    """
    if quote.change is not None:
        return quote
    previous = [
        q
        for q in earlier
        if q.currency == quote.currency
        and q.source == quote.source
        and 0 < (quote.as_of - q.as_of).days <= STAND_IN_AFTER_DAYS
    ]
    if not previous:
        return quote
    before = max(previous, key=lambda q: q.as_of)
    change = _EXACT_CONTEXT.subtract(quote.per_usd, before.per_usd)
    return RateQuote(quote.currency, quote.per_usd, change, quote.as_of, quote.source)
