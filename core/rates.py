"""Official exchange rates: cross rates against USD and which source wins.

Every central bank quotes its own currency ("base units per 1 unit of X"). The bot
thinks in "units of X per 1 USD", so each bank's table is turned around through
its USD row. When several sources quote the same currency, the newest date wins
and, on the same date, the currency's home bank beats everybody else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal

from core.types import RateQuote

HOME_BANK: dict[str, str] = {
    "KZT": "nbk",
    "KGS": "nbkr",
    "UZS": "cbu",
    "TJS": "nbt",
    "TMT": "cbt",
    "RUB": "cbr",
}

# After the home bank: the other official Central Asian banks, then CBR (it quotes
# all five, but second-hand), then a news page's ticker, which is the least reliable.
SOURCE_PRIORITY: tuple[str, ...] = ("nbk", "cbu", "nbkr", "nbt", "cbt", "cbr", "page")

CROSS_DIGITS = 12

# Local contexts so a caller who changed the global decimal context cannot change
# our figures, and we never change theirs.
_CROSS_CONTEXT = Context(prec=CROSS_DIGITS, rounding=ROUND_HALF_EVEN)
_EXACT_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


def source_rank(currency: str, source: str) -> int:
    """Return how much ``source`` is trusted for ``currency``: lower is better.

    Args:
        currency: ISO 4217 code of the quoted currency.
        source: Source name such as ``nbk`` or ``page``.

    Returns:
        0 for the currency's home bank, then 1 + the position in SOURCE_PRIORITY;
        unknown sources rank after everything known.
    """
    if HOME_BANK.get(currency) == source:
        return 0
    try:
        return 1 + SOURCE_PRIORITY.index(source)
    except ValueError:
        return 1 + len(SOURCE_PRIORITY)


def cross_rate(base_per_usd: Decimal, base_per_x: Decimal) -> Decimal:
    """Return units of X per 1 USD, rounded to CROSS_DIGITS significant digits.

    Args:
        base_per_usd: Base-currency units per 1 USD.
        base_per_x: Base-currency units per 1 unit of X (must be positive).
    """
    return _CROSS_CONTEXT.divide(base_per_usd, base_per_x)


def cross_quotes(
    base: str,
    base_per_unit: Mapping[str, Decimal],
    previous_base_per_unit: Mapping[str, Decimal] | None,
    as_of: date,
    source: str,
) -> list[RateQuote]:
    """Turn one bank's "base per 1 unit of X" table into "X per 1 USD" quotes.

    Args:
        base: ISO code of the bank's own currency, e.g. ``KZT``.
        base_per_unit: Base units per ONE unit of X (unit counts already applied);
            must contain a positive ``USD`` entry.
        previous_base_per_unit: The same table for the previous fixing, or None.
            A currency missing from it gets ``change=None``.
        as_of: Effective date of the table.
        source: Source name stored on every quote.

    Returns:
        The base currency's own quote (exact source digits) first, then one quote
        per other currency with a positive rate; USD itself is not included.

    Raises:
        ValueError: The table has no positive USD rate.
    """
    usd = base_per_unit.get("USD")
    if usd is None or not _positive(usd):
        raise ValueError(f"no positive USD rate in the {base} table")
    prev_usd = previous_base_per_unit.get("USD") if previous_base_per_unit else None
    if prev_usd is not None and not _positive(prev_usd):
        prev_usd = None

    base_change = _EXACT_CONTEXT.subtract(usd, prev_usd) if prev_usd is not None else None
    quotes = [RateQuote(base, usd, base_change, as_of, source)]
    for code, per_unit in base_per_unit.items():
        if code in ("USD", base) or not _positive(per_unit):
            continue
        per_usd = cross_rate(usd, per_unit)
        change: Decimal | None = None
        if prev_usd is not None and previous_base_per_unit is not None:
            prev = previous_base_per_unit.get(code)
            if prev is not None and _positive(prev):
                change = _EXACT_CONTEXT.subtract(per_usd, cross_rate(prev_usd, prev))
        quotes.append(RateQuote(code, per_usd, change, as_of, source))
    return quotes


def pick_current(quotes: Iterable[RateQuote]) -> dict[str, RateQuote]:
    """Choose the authoritative quote for each currency.

    A currency with a home bank is taken from that bank, or from its fallbacks (CBR
    and page tickers) when they are newer; another bank's cross rate of it (NBK's
    UZS has three significant digits) is used only when nothing else is stored.
    Within those tiers the newest ``as_of`` wins, so an old page ticker never hides
    a fresher official rate; on the same date the home bank wins, then
    SOURCE_PRIORITY decides. On a full tie the first quote seen is kept.

    Args:
        quotes: Quotes from any mix of sources and dates.

    Returns:
        Currency code -> chosen quote.
    """
    best: dict[str, RateQuote] = {}
    for quote in quotes:
        current = best.get(quote.currency)
        if current is None or _beats(quote, current):
            best[quote.currency] = quote
    return best


def _positive(value: Decimal) -> bool:
    # NaN and infinities would poison every cross rate, and comparing NaN raises.
    return value.is_finite() and value > 0


def _second_hand(quote: RateQuote) -> bool:
    home = HOME_BANK.get(quote.currency)
    return home is not None and quote.source not in (home, "cbr", "page")


def _beats(challenger: RateQuote, holder: RateQuote) -> bool:
    if _second_hand(challenger) != _second_hand(holder):
        return _second_hand(holder)
    if challenger.as_of != holder.as_of:
        return challenger.as_of > holder.as_of
    return source_rank(challenger.currency, challenger.source) < source_rank(
        holder.currency, holder.source
    )
