"""Telegram HTML for rates, conversions and what went wrong reading a conversion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from core.countries import COUNTRY_CURRENCY, country_flag
from core.exchange import DISPLAY_CURRENCIES, Conversion
from core.money import ParseFailure
from core.telegram_text import escape
from core.types import RateQuote
from locales import _

STALE_AFTER_DAYS = 3
STALE_MARK = "⚠️"
_FLAG_OF_CURRENCY = {currency: country_flag(code) for code, currency in COUNTRY_CURRENCY.items()}
_FLAG_OF_CURRENCY.update({"EUR": "🇪🇺", "USD": "🇺🇸"})


def currency_flag(currency: str) -> str:
    """The flag shown beside a currency ("" when it has none)."""
    return _FLAG_OF_CURRENCY.get(currency, "")


def source_label(source: str) -> str:
    """A rate source as people know it: ``nbk`` is NBK, several legs join with ``/``."""
    return "/".join(part.upper() for part in source.split("/"))


def _places(per_usd: Decimal) -> int:
    # Small figures (EUR per USD) need more decimals to show their movement.
    size = abs(per_usd)
    return 2 if size >= 100 else 4 if size >= 1 else 6


def format_rate(per_usd: Decimal) -> str:
    """A rate with as many decimals as its size needs: ``518.90``, ``87.4600``."""
    return f"{per_usd:,.{_places(per_usd)}f}"


def format_cross_rate(rate: Decimal) -> str:
    """A conversion rate to six significant digits: ``518.900``, ``0.0000826446``.

    Cross rates carry a dozen digits; people compare the first few. Rates of 1 and
    above read like the rates table, smaller ones keep six digits after the zeros.
    """
    if rate >= 1:
        return format_rate(rate)
    places = 5 - rate.adjusted() if rate > 0 else 2
    return f"{rate:,.{places}f}"


def _change(change: Decimal | None, places: int) -> str:
    if change is None:
        return ""
    text = f"{abs(change):,.{places}f}"
    if text.strip("0.,") == "":
        return "= 0"
    return f"▲ {text}" if change > 0 else f"▼ {text}"


def is_stale(quote: RateQuote, today: date) -> bool:
    """Whether a rate is older than three days."""
    return (today - quote.as_of).days > STALE_AFTER_DAYS


def render_rates(quotes: list[RateQuote], today: date) -> str:
    """The rates of ``quotes`` per 1 USD, each with change, date, source and a stale mark.

    The figures form a monospace table, so amounts line up digit under digit.
    """
    rows = []
    any_stale = False
    for quote in quotes:
        stale = is_stale(quote, today)
        any_stale = any_stale or stale
        rows.append(_rate_row(quote, stale))
    lines = [
        f"<b>{escape(_('Official rates per 1 USD'))}</b>",
        "<pre>" + "\n".join(rows) + "</pre>",
    ]
    if any_stale:
        lines.append(
            escape(
                _("{mark} older than {days} days").format(mark=STALE_MARK, days=STALE_AFTER_DAYS)
            )
        )
    return "\n".join(lines)


@lru_cache(maxsize=1024)
def _rate_row(quote: RateQuote, stale: bool) -> str:
    """One escaped line of the rates table.

    A quote is immutable and a new rate is a new quote, so its line is formatted once,
    not for every /rates (formatting the Decimals is most of what rendering costs).
    """
    places = _places(quote.per_usd)
    return escape(
        f"{currency_flag(quote.currency)} {quote.currency} "
        f"{quote.per_usd:>12,.{places}f} {_change(quote.change, places):>11} "
        f"{quote.as_of.isoformat()} {source_label(quote.source)}"
        + (f" {STALE_MARK}" if stale else "")
    )


def order_rates(current: dict[str, RateQuote], wanted: list[str] | None = None) -> list[RateQuote]:
    """The quotes to show: the asked currencies in the asked order, else the usual ones."""
    if wanted:
        return [current[code] for code in wanted if code in current]
    return [current[code] for code in DISPLAY_CURRENCIES if code in current]


def _amount(value: Decimal) -> str:
    return f"{value:,f}"


def render_conversion(conversion: Conversion) -> str:
    """``100 USD = 47,231.00 KZT`` with the rate, its date and source."""
    when = conversion.as_of.isoformat() if conversion.as_of else _("fixed")
    return "\n".join(
        [
            f"<b>{_amount(conversion.amount)} {escape(conversion.source)} = "
            f"{_amount(conversion.result)} {escape(conversion.target)}</b>",
            escape(
                _("Rate: 1 {source} = {rate} {target}").format(
                    source=conversion.source,
                    rate=format_cross_rate(conversion.rate),
                    target=conversion.target,
                )
            ),
            escape(
                _("As of {date}, source: {source}").format(
                    date=when, source=source_label(conversion.origin)
                )
            ),
        ]
    )


def render_conversions(amount: Decimal, source: str, conversions: list[Conversion]) -> str:
    """One amount in several currencies, each line with its date and source."""
    lines = [f"<b>{_amount(amount)} {escape(source)}</b> ="]
    for conversion in conversions:
        when = conversion.as_of.isoformat() if conversion.as_of else _("fixed")
        lines.append(
            f"{currency_flag(conversion.target)} <code>{_amount(conversion.result)}</code> "
            f"{escape(conversion.target)} · {when} · {escape(source_label(conversion.origin))}"
        )
    return "\n".join(lines)


def convert_usage() -> str:
    """The usage line of /convert, with examples."""
    return escape(
        _(
            "Usage: /convert AMOUNT FROM [TO], "
            "e.g. /convert 100 usd kzt or /convert 1 000,50 KZT UZS"
        )
    )


def _failure_reason(failure: ParseFailure) -> str:
    reasons = {
        "empty": _("Nothing to convert."),
        "too_long": _("That is too long to be a conversion."),
        "no_amount": _("I found no amount."),
        "bad_amount": _("I cannot read the amount."),
        "not_positive": _("The amount must be above zero."),
        "too_large": _("The amount is too large."),
        "no_currency": _("I found no currency to convert from."),
        "unknown_currency": _("I do not know that currency."),
        "same_currency": _("Both currencies are the same."),
    }
    return reasons.get(failure.reason, _("I cannot read that conversion."))


def render_parse_failure(failure: ParseFailure) -> str:
    """What could not be read, quoting the piece that was not understood, and the usage."""
    line = escape(_failure_reason(failure))
    if failure.fragment and failure.reason not in ("empty", "no_amount", "no_currency"):
        line += " " + escape(_("Not understood: {fragment}").format(fragment=failure.fragment))
    return f"{line}\n{convert_usage()}"


def render_missing_rate(currency: str) -> str:
    """No stored rate for a currency."""
    return escape(_("No stored rate for {currency} yet; see /rates.").format(currency=currency))
