"""Shared helpers for the central-bank parsers: safe XML, numbers, dates, crosses.

Every helper reports trouble as BankFormatError, so a bank module never lets a
ParseError, InvalidOperation or KeyError escape to the ingest pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from core.rates import cross_quotes
from core.types import RateQuote
from sources.banks.dropped import report_dropped_row


class BankFormatError(ValueError):
    """A central bank's response could not be read as a rates file."""


# Plain decimals with an optional decimal comma or point and an optional exponent.
# Decimal() alone would also take "NaN", "Infinity" and "1_000".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_CODE = re.compile(r"[A-Z]{3}")
# Rates live far inside this; an exponent outside it is garbage, and refusing it
# keeps later arithmetic away from overflow.
_MAX_MAGNITUDE = 30
_UNIT_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


def not_a_file(what: str) -> str:
    """``not a CBR rates file`` / ``not an NBK rates file``: the article as it is spoken."""
    article = "an" if what[:1] in "AEFHILMNORSX" else "a"
    return f"not {article} {what} rates file"


def parse_xml(data: bytes, what: str, *root_tags: str) -> Element:
    """Parse untrusted XML bytes and check the root element.

    The bytes go to the parser undecoded so the XML declaration or BOM decides the
    encoding (windows-1251 at NBKR and CBR), whatever an HTTP header claimed.

    Args:
        data: Raw response body.
        what: Short bank name for messages, e.g. ``NBKR``.
        *root_tags: The root elements the bank uses, e.g. ``CurrencyRates``.

    Returns:
        The root element.

    Raises:
        BankFormatError: Empty, malformed, hostile or foreign XML.
    """
    if not data.strip():
        raise BankFormatError(f"{not_a_file(what)}: empty response")
    try:
        root: Element = SafeET.fromstring(data)
    except EntitiesForbidden as exc:
        raise BankFormatError("entity declarations are not allowed") from exc
    except DTDForbidden as exc:
        raise BankFormatError("DTD declarations are not allowed") from exc
    except ExternalReferenceForbidden as exc:
        raise BankFormatError("external references are not allowed") from exc
    except DefusedXmlException as exc:
        raise BankFormatError(f"unsafe XML: {exc}") from exc
    except ParseError as exc:
        raise BankFormatError(f"{not_a_file(what)}: malformed XML ({exc})") from exc
    except (LookupError, ValueError) as exc:
        # An unknown encoding in the declaration ends up here.
        raise BankFormatError(f"{not_a_file(what)}: unreadable XML ({exc})") from exc
    if root.tag not in root_tags:
        raise BankFormatError(f"{not_a_file(what)}: root is <{root.tag}>")
    return root


def child_text(element: Element, tag: str, where: str) -> str:
    """Return the stripped text of a required child element.

    Raises:
        BankFormatError: The child is missing or empty.
    """
    text = optional_text(element, tag)
    if not text:
        raise BankFormatError(f"{where}: no <{tag}>")
    return text


def optional_text(element: Element, tag: str) -> str:
    """Return the stripped text of a child element, or "" when missing or empty."""
    child = element.find(tag)
    if child is None or child.text is None:
        return ""
    return child.text.strip()


def parse_decimal(text: str | None, what: str) -> Decimal:
    """Parse a bank's number: decimal point or comma, optional exponent (``1,2E-5``).

    Args:
        text: The raw text.
        what: What the number is, for the error message.

    Raises:
        BankFormatError: Empty, non-numeric or absurdly large/small input.
    """
    raw = (text or "").strip()
    if not _NUMBER.fullmatch(raw):
        raise BankFormatError(f"{what} is not a number: {raw[:40]!r}")
    value = Decimal(raw.replace(",", "."))
    if value and abs(value.adjusted()) > _MAX_MAGNITUDE:
        raise BankFormatError(f"{what} is out of range: {raw[:40]!r}")
    return value


def parse_units(text: str | None, what: str) -> Decimal:
    """Parse a unit count (``quant``, ``Nominal``, ``multiplier``); it must be positive.

    Raises:
        BankFormatError: Not a number, or zero/negative (it would divide by zero).
    """
    units = parse_decimal(text, what)
    if units <= 0:
        raise BankFormatError(f"{what} must be positive, got {units}")
    return units


def per_unit(value: Decimal, units: Decimal) -> Decimal:
    """Return ``value / units`` in a local context (exact for power-of-ten units)."""
    return _UNIT_CONTEXT.divide(value, units)


def minus(value: Decimal, change: Decimal) -> Decimal:
    """Return ``value - change`` in a local context: the previous fixing."""
    return _UNIT_CONTEXT.subtract(value, change)


def rate_per_unit(row: Element, value_tag: str, units_tag: str, where: str) -> Decimal:
    """Read a row's rate quoted per a number of units and return it per ONE unit.

    Args:
        row: The row element.
        value_tag: Child with the rate for ``units_tag`` units, e.g. ``Value``.
        units_tag: Child with the unit count, e.g. ``Nominal``.
        where: The row, for messages, e.g. ``CBR USD``.

    Raises:
        BankFormatError: A child is missing, not numeric, or the unit count is not positive.
    """
    value = parse_decimal(child_text(row, value_tag, where), f"{where} {value_tag}")
    units = parse_units(child_text(row, units_tag, where), f"{where} {units_tag}")
    return per_unit(value, units)


def first_per_code(rates: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Collect (code, rate) pairs into a table, keeping each code's first rate.

    Args:
        rates: (code, base per unit) pairs in file order.
    """
    table: dict[str, Decimal] = {}
    for code, rate in rates:
        # Keep the first row: a repeated code is a publishing glitch, not a correction.
        if code in table:
            report_dropped_row(f"{code}: repeated row dropped, the first one kept")
            continue
        table[code] = rate
    return table


def unit_rates(
    value: Decimal, units: Decimal, change_text: str, what: str
) -> tuple[Decimal, Decimal | None]:
    """Return a rate and the previous fixing, both per ONE unit.

    Args:
        value: Base units per ``units`` units today.
        units: The unit count the bank quotes per.
        change_text: The published move since the previous fixing, in the same
            units as ``value``; blank when the bank gave none.
        what: What the change is, for the error message, e.g. ``NBK USD change``.

    Returns:
        (today per unit, previous per unit or None when there is no change).

    Raises:
        BankFormatError: ``change_text`` is not blank and not a number.
    """
    previous: Decimal | None = None
    if change_text.strip():
        change = parse_decimal(change_text, what)
        previous = per_unit(minus(value, change), units)
    return per_unit(value, units), previous


def parse_day(text: str | None, fmt: str, what: str) -> date:
    """Parse a date such as ``03.04.2026`` (``%d.%m.%Y``) or ``2026-05-18``.

    Raises:
        BankFormatError: Missing or not in ``fmt``.
    """
    raw = (text or "").strip()
    try:
        return datetime.strptime(raw, fmt).date()
    except ValueError as exc:
        raise BankFormatError(f"{what} is not a date: {raw[:40]!r}") from exc


def currency_code(text: str | None, where: str) -> str:
    """Return an upper-case ISO 4217 code.

    Raises:
        BankFormatError: Missing or not three letters.
    """
    code = (text or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise BankFormatError(f"{where}: bad currency code {code[:20]!r}")
    return code


def finish(
    base: str,
    what: str,
    as_of: date,
    current: dict[str, Decimal],
    previous: dict[str, Decimal] | None,
    source: str,
) -> list[RateQuote]:
    """Check a parsed table and turn it into quotes against USD.

    Args:
        base: The bank's own currency.
        what: Short bank name for messages.
        as_of: Effective date from the response.
        current: Base units per ONE unit of each currency.
        previous: The previous fixing, same shape, or None.
        source: Source name for the quotes.

    Raises:
        BankFormatError: No rows, or no usable USD row.
    """
    if not current:
        raise BankFormatError(f"{what} rates file has no rates")
    usd = current.get("USD")
    if usd is None:
        raise BankFormatError(f"{what} rates file has no USD rate")
    if not (usd.is_finite() and usd > 0):
        raise BankFormatError(f"{what} USD rate must be positive, got {usd}")
    for code, rate in current.items():
        # cross_quotes leaves these out: nothing can be divided by them.
        if code not in ("USD", base) and not (rate.is_finite() and rate > 0):
            day = as_of.isoformat()
            report_dropped_row(f"{what} {code} on {day}: rate {rate} is not positive, dropped")
    return cross_quotes(base, current, previous, as_of, source)


def finish_by_date(
    base: str,
    what: str,
    rows: Iterable[tuple[date, str, Decimal, Decimal | None]],
    source: str,
) -> list[RateQuote]:
    """Like finish() for formats that date every row (NBK rates_all.xml, CBU JSON).

    Each date is crossed through its own USD row; dates without one are dropped
    because nothing on them can be expressed per USD.

    Args:
        base: The bank's own currency.
        what: Short bank name for messages.
        rows: (date, code, base per unit, previous base per unit or None).
        source: Source name for the quotes.

    Raises:
        BankFormatError: No rows, or no date with a USD row.
    """
    by_day: dict[date, tuple[dict[str, Decimal], dict[str, Decimal]]] = {}
    for day, code, value, previous in rows:
        current_table, previous_table = by_day.setdefault(day, ({}, {}))
        # The first row wins: a repeated code is a publishing glitch, not a correction.
        if code in current_table:
            report_dropped_row(
                f"{what} {code} on {day.isoformat()}: repeated row dropped, the first one kept"
            )
            continue
        current_table[code] = value
        if previous is not None:
            previous_table[code] = previous
    if not by_day:
        raise BankFormatError(f"{what} rates file has no rates")
    quotes: list[RateQuote] = []
    for day in sorted(by_day):
        current_table, previous_table = by_day[day]
        if "USD" in current_table:
            quotes.extend(finish(base, what, day, current_table, previous_table, source))
        else:
            report_dropped_row(
                f"{what} {day.isoformat()}: no USD rate, {len(current_table)} row(s) dropped"
            )
    if not quotes:
        raise BankFormatError(f"{what} rates file has no USD rate")
    return quotes
