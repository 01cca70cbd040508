"""Telegram HTML for rates, conversions and what went wrong reading a conversion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from core.authority import DEMO_SOURCE, STALE_AFTER_DAYS, is_stale, is_stand_in, is_ticker
from core.countries import COUNTRY_CURRENCY, country_flag
from core.exchange import DISPLAY_CURRENCIES, Conversion, rate_places
from core.money import ParseFailure
from core.types import RateQuote
from locales import _, current_language, ngettext
from views.formatting import day, exact, number
from views.names import bank_name
from views.telegram_html import escape

STALE_MARK = "⚠️"
_FLAG_OF_CURRENCY = {currency: country_flag(code) for code, currency in COUNTRY_CURRENCY.items()}
_FLAG_OF_CURRENCY.update({"EUR": "🇪🇺", "USD": "🇺🇸"})


def currency_flag(currency: str) -> str:
    """The flag shown beside a currency ("" when it has none)."""
    return _FLAG_OF_CURRENCY.get(currency, "")


def source_label(source: str) -> str:
    """A rate source as people know it: ``nbk`` is NBK (НБРК), several legs join with ``/``.

    Banks go by their short names in the reader's language (``views.names``); a news
    page's ticker is named in words.
    """
    return "/".join(_source_part(part) for part in source.split("/"))


def _source_part(part: str) -> str:
    if part == DEMO_SOURCE:
        return _("demo data")
    if is_ticker(part):
        return _("news site")
    return bank_name(part)


def _places(per_usd: Decimal) -> int:
    # Small figures (EUR per USD) need more decimals to show their movement.
    size = abs(per_usd)
    return 2 if size >= 100 else 4 if size >= 1 else 6


def format_rate(per_usd: Decimal) -> str:
    """A rate with as many decimals as its size needs: ``518.90``, ``87.4600`` (``518,90``)."""
    return number(per_usd, _places(per_usd))


def format_quote(quote: RateQuote) -> str:
    """A current rate per 1 USD with the decimals ``core.exchange.rate_places`` allows:
    a ticker's ``518`` never turns into ``518.00``."""
    return number(quote.per_usd, rate_places(quote))


def format_cross_rate(rate: Decimal) -> str:
    """A conversion's rate with every digit it carries: ``core.exchange`` chose them so that
    amount × rate gives the result shown (``518.9``, ``0.00211727``, ``12,500``)."""
    return exact(rate.normalize())


def _change(change: Decimal | None, places: int) -> str:
    if change is None:
        return ""
    text = number(abs(change), places)
    if not any(digit in text for digit in "123456789"):
        return "= 0"
    return f"▲ {text}" if change > 0 else f"▼ {text}"


def render_rates(quotes: list[RateQuote], today: date) -> str:
    """The rates of ``quotes`` per 1 USD, each with change, date, source and a stale mark.

    The figures form a monospace table, so amounts line up digit under digit.
    """
    return _rates_text(tuple(quotes), today, current_language())


@lru_cache(maxsize=512)
def _rates_text(quotes: tuple[RateQuote, ...], today: date, language: str) -> str:
    """``render_rates`` once per (quotes, day, language): /rates is asked far more often
    than rates change, and ``language`` is in the key because it decides every word."""
    rows = []
    any_stale = False
    for quote in quotes:
        stale = is_stale(quote, today)
        any_stale = any_stale or stale
        rows.append(_rate_cells(quote, stale, current_language()))
    # Translated outside the f-string: pybabel does not find _() calls inside f-strings.
    heading = _("Official rates per 1 USD")
    lines = [
        f"<b>{escape(heading)}</b>",
        "<pre>" + "\n".join(_table(rows)) + "</pre>",
    ]
    if any_stale:
        lines.append(escape(stale_note()))
    return "\n".join(lines)


def stale_note() -> str:
    """What the stale mark means (plain text), under every screen that uses it."""
    return ngettext(
        "{mark} older than {days} day",
        "{mark} older than {days} days",
        STALE_AFTER_DAYS,
    ).format(mark=STALE_MARK, days=STALE_AFTER_DAYS)


def quote_origin(quote: RateQuote) -> str:
    """Who a current rate comes from: ``NBK``, or ``CBR cross rate`` when another bank's
    figure stands in for the home bank's (see ``core.authority``)."""
    label = source_label(quote.source)
    if is_stand_in(quote):
        return _("{bank} cross rate").format(bank=label)
    return label


@lru_cache(maxsize=2048)
def _rate_cells(quote: RateQuote, stale: bool, language: str) -> tuple[str, str, str, str, str]:
    """The escaped cells of one line of the rates table, in ``language``.

    A quote is immutable and a new rate is a new quote, so its cells are formatted once
    per language, not for every /rates (formatting the numbers is most of what rendering
    costs). ``language`` is part of the key because the running language decides the format.
    """
    places = rate_places(quote)
    return (
        escape(f"{currency_flag(quote.currency)} {quote.currency}"),
        escape(number(quote.per_usd, places)),
        escape(_change(quote.change, places)),
        escape(day(quote.as_of)),
        escape(quote_origin(quote) + (f" {STALE_MARK}" if stale else "")),
    )


def _table(rows: list[tuple[str, str, str, str, str]]) -> list[str]:
    """Lines with the figures right-aligned and the dates left-aligned, column by column.

    Widths come from the rows shown, since grouping and date formats differ by language
    (``12,195.07`` / ``12 195,07``, ``Jan 5, 2026`` / ``5 янв. 2026 г.``).
    """
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return [
        f"{name} {rate.rjust(widths[1])} {change.rjust(widths[2])} {when.ljust(widths[3])} {source}"
        for name, rate, change, when, source in rows
    ]


def order_rates(current: dict[str, RateQuote], wanted: list[str] | None = None) -> list[RateQuote]:
    """The quotes to show: the asked currencies in the asked order, else the usual ones."""
    if wanted:
        return [current[code] for code in wanted if code in current]
    return [current[code] for code in DISPLAY_CURRENCIES if code in current]


def _amount(value: Decimal) -> str:
    return exact(value)


def render_conversion(conversion: Conversion) -> str:
    """``100 USD = 47,231.00 KZT`` with the rate, its date and source."""
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
            escape(rate_origin(conversion)),
        ]
    )


def rate_origin(conversion: Conversion) -> str:
    """Where the rate of ``conversion`` comes from: its date and source (plain text)."""
    source = source_label(conversion.origin)
    if conversion.as_of is None:
        # A whole sentence of its own: "as of fixed" reads wrong in every language.
        return _("Fixed rate, source: {source}").format(source=source)
    return _("As of {date}, source: {source}").format(date=day(conversion.as_of), source=source)


def render_conversions(amount: Decimal, source: str, conversions: list[Conversion]) -> str:
    """One amount in several currencies, each line with its date and source."""
    lines = [f"<b>{_amount(amount)} {escape(source)}</b> ="]
    lines += [_conversion_line(c, _amount(c.result)) for c in conversions]
    return "\n".join(lines)


def _conversion_line(conversion: Conversion, figure: str) -> str:
    when = day(conversion.as_of) if conversion.as_of else _("fixed")
    return (
        f"{currency_flag(conversion.target)} <code>{escape(figure)}</code> "
        f"{escape(conversion.target)} · {when} · {escape(source_label(conversion.origin))}"
    )


def render_rate_answer(conversions: list[Conversion]) -> str:
    """The rate of one unit, as the answer to a rate question without an amount.

    One pair reads ``1 USD = 472.31 KZT`` over its date and source; one unit in several
    currencies is laid out as ``render_conversions`` does, with the rate in place of a
    rounded amount (one unit of UZS is worth a fraction of a kopeck).
    """
    first = conversions[0]
    if len(conversions) == 1:
        return "\n".join(
            [
                f"<b>1 {escape(first.source)} = {escape(format_cross_rate(first.rate))} "
                f"{escape(first.target)}</b>",
                escape(rate_origin(first)),
            ]
        )
    lines = [f"<b>1 {escape(first.source)}</b> ="]
    lines += [_conversion_line(c, format_cross_rate(c.rate)) for c in conversions]
    return "\n".join(lines)


def rate_usage() -> str:
    """How to ask for a rate without an amount, with examples."""
    return escape(_("Ask for a rate like this: usd kzt, euro to tenge, /convert eur kzt, or kzt."))


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


def render_parse_failure(failure: ParseFailure, usage: str | None = None) -> str:
    """What could not be read, quoting the piece that was not understood, and the usage
    (``usage``, escaped HTML; the /convert usage by default)."""
    line = escape(_failure_reason(failure))
    if failure.fragment and failure.reason not in ("empty", "no_amount", "no_currency"):
        line += " " + escape(_("Not understood: {fragment}").format(fragment=failure.fragment))
    return f"{line}\n{usage or convert_usage()}"


def render_missing_rate(currency: str) -> str:
    """No stored rate for a currency."""
    return escape(_("No stored rate for {currency} yet; see /rates.").format(currency=currency))
