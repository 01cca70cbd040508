"""Official exchange rates: cross rates against USD and which source wins.

Every central bank quotes its own currency ("base units per 1 unit of X"). The bot
thinks in "units of X per 1 USD", so each bank's table is turned around through
its USD row. Which source's figure is current is ``core.authority``'s choice; its
names are re-exported here for the callers that know them from this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal

from core.authority import HOME_BANK, SOURCE_PRIORITY, pick_current, source_rank
from core.types import RateQuote

__all__ = [
    "CROSS_DIGITS",
    "HOME_BANK",
    "SOURCE_PRIORITY",
    "cross_quotes",
    "cross_rate",
    "pick_current",
    "source_rank",
]

CROSS_DIGITS = 12

# Local contexts so a caller who changed the global decimal context cannot change
# our figures, and we never change theirs.
_CROSS_CONTEXT = Context(prec=CROSS_DIGITS, rounding=ROUND_HALF_EVEN)
_EXACT_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


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


def _positive(value: Decimal) -> bool:
    # NaN and infinities would poison every cross rate, and comparing NaN raises.
    return value.is_finite() and value > 0
