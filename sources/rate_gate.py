"""The door every rate figure passes before it is stored: believable ones in, the rest held.

Pages, feeds, bank files and fetched bodies all store their figures through
``store_checked_rates``, so no figure reaches ``rates`` (and so no screen) unchecked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.plausibility import Rejection, check_quote
from core.types import RateQuote
from storage.rate_rejections import add_rejections, clear_rejections, list_neighbours
from storage.rates import RatesAdded, add_rates

__all__ = ["CheckedRates", "judge_quotes", "store_checked_rates"]


@dataclass(frozen=True, slots=True)
class CheckedRates:
    """What the door let in (and what storing it did), and what it held back."""

    stored: RatesAdded
    rejected: list[Rejection]


def judge_quotes(
    quotes: list[RateQuote], stored: list[RateQuote]
) -> tuple[list[RateQuote], list[Rejection]]:
    """Judge one currency's figures from one source, each against its nearest earlier day.

    Args:
        quotes: The new figures, one per date.
        stored: That currency's stored figures from the same source, oldest first.

    Returns:
        (accepted, rejected). An accepted figure is the neighbour of the next day; a
        rejected one is not, so one bad day does not condemn the days after it.
    """
    accepted: list[RateQuote] = []
    rejected: list[Rejection] = []
    previous: RateQuote | None = None
    at = 0
    for quote in sorted(quotes, key=lambda q: q.as_of):
        # A stored figure of an earlier day takes over unless a newer one was accepted.
        while at < len(stored) and stored[at].as_of < quote.as_of:
            if previous is None or stored[at].as_of > previous.as_of:
                previous = stored[at]
            at += 1
        rejection = check_quote(quote, previous)
        if rejection is None:
            accepted.append(quote)
            previous = quote
        else:
            rejected.append(rejection)
    return accepted, rejected


async def store_checked_rates(session: AsyncSession, quotes: Iterable[RateQuote]) -> CheckedRates:
    """Store the believable figures of ``quotes`` and hold back the rest. Does not commit.

    Args:
        session: The caller's transaction.
        quotes: Figures from any sources and days; a repeated key keeps its last figure.
    """
    by_key = {(q.currency, q.as_of, q.source): q for q in quotes}
    groups: dict[str, dict[str, list[RateQuote]]] = defaultdict(lambda: defaultdict(list))
    for quote in by_key.values():
        groups[quote.source][quote.currency].append(quote)
    accepted: list[RateQuote] = []
    rejected: list[Rejection] = []
    for source, by_currency in groups.items():
        currencies = sorted(by_currency)
        days = sorted({q.as_of for batch in by_currency.values() for q in batch})
        await clear_rejections(session, source, currencies, days)
        stored = await list_neighbours(session, source, currencies, days[0], days[-1])
        for currency, batch in by_currency.items():
            good, bad = judge_quotes(batch, stored[currency])
            accepted += good
            rejected += bad
    if rejected:
        await add_rejections(session, rejected)
    return CheckedRates(await add_rates(session, accepted), rejected)
