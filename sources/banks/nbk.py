"""National Bank of Kazakhstan: ``rss/get_rates.cfm?fdate=...`` and ``rss/rates_all.xml``.

``get_rates.cfm`` is ``<rates>`` with one ``<date>`` and ``<item>`` rows; the feed
``rates_all.xml`` is RSS 2.0 whose items carry their own ``<pubDate>``. In both an
item is ``title`` = code, ``description`` = KZT per ``quant`` units, and ``change`` =
the move since the previous fixing in the same units. ``index`` (UP/DOWN) is
ignored: it is sometimes empty and sometimes contradicts ``change``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    child_text,
    currency_code,
    finish_by_date,
    optional_text,
    parse_day,
    parse_decimal,
    parse_units,
    parse_xml,
    unit_rates,
)

SOURCE = "nbk"
BASE = "KZT"
_WHAT = "NBK"
_DATE_FORMAT = "%d.%m.%Y"


def parse(data: bytes) -> list[RateQuote]:
    """Parse an NBK rates file (either format) into quotes per USD.

    Args:
        data: The raw response body.

    Returns:
        KZT per USD (with the day's change) and every other currency per USD.

    Raises:
        BankFormatError: Not an NBK file, or a field is missing or not numeric.
    """
    root = parse_xml(data, _WHAT, "rates", "rss")
    if root.tag == "rss":
        return _parse_feed(root)
    return _parse_daily(root)


def _parse_daily(root: Element) -> list[RateQuote]:
    date_text = optional_text(root, "date")
    if not date_text:
        raise BankFormatError("not an NBK rates file: no <date>")
    day = parse_day(date_text, _DATE_FORMAT, "NBK <date>")
    items = root.findall("item")
    return finish_by_date(BASE, _WHAT, (_item_row(item, day) for item in items), SOURCE)


def _parse_feed(root: Element) -> list[RateQuote]:
    channel = root.find("channel")
    if channel is None:
        raise BankFormatError("not an NBK rates feed: no <channel>")
    rows = []
    for item in channel.findall("item"):
        where = f"NBK item {optional_text(item, 'title')!r}"
        day = parse_day(child_text(item, "pubDate", where), _DATE_FORMAT, f"{where} <pubDate>")
        rows.append(_item_row(item, day))
    return finish_by_date(BASE, _WHAT, rows, SOURCE)


def _item_row(item: Element, day: date) -> tuple[date, str, Decimal, Decimal | None]:
    code = currency_code(optional_text(item, "title"), "NBK item")
    where = f"NBK {code}"
    value = parse_decimal(child_text(item, "description", where), f"{where} rate")
    quant = parse_units(child_text(item, "quant", where), f"{where} quant")
    rate, previous = unit_rates(value, quant, optional_text(item, "change"), f"{where} change")
    return day, code, rate, previous
