"""National Bank of Kazakhstan: ``rss/get_rates.cfm?fdate=...`` and ``rss/rates_all.xml``.

``get_rates.cfm`` is ``<rates>`` with one ``<date>`` and ``<item>`` rows; the feed
``rates_all.xml`` is RSS 2.0 whose items carry their own ``<pubDate>``. In both an
item is ``title`` = code, ``description`` = KZT per ``quant`` units, and ``change`` =
the move since the previous fixing in the same units. ``index`` (UP/DOWN) is
ignored: it is sometimes empty and sometimes contradicts ``change``. The feed writes
its dates with two-digit years (``18.04.16``). Both name ``nationalbank.kz`` in their
header, which is how an NBK file is told from other RSS with rate-like items.
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
    not_a_file,
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
# rates_all.xml writes the year in two digits ("18.04.16"); %y puts it in 1969-2068.
_FEED_DATE_FORMATS = (_DATE_FORMAT, "%d.%m.%y")
# NBK's files name its site in <link>/<copyright>; no other bank's file does.
_HOME = "nationalbank.kz"


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
    _check_home(root)
    return _parse_daily(root)


def _check_home(header: Element) -> None:
    """Refuse a ``<rates>`` or RSS file that does not name NBK's site: another bank's
    or site's feed may carry items of the same shape."""
    named = " ".join(optional_text(header, tag) or "" for tag in ("link", "copyright", "title"))
    if _HOME not in named.lower():
        raise BankFormatError(f"{not_a_file(_WHAT)}: its <link> does not name {_HOME}")


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
    _check_home(channel)
    rows = []
    for item in channel.findall("item"):
        where = f"NBK item {optional_text(item, 'title')!r}"
        rows.append(_item_row(item, _feed_day(child_text(item, "pubDate", where), where)))
    return finish_by_date(BASE, _WHAT, rows, SOURCE)


def _feed_day(text: str, where: str) -> date:
    try:
        return parse_day(text, _FEED_DATE_FORMATS[0], f"{where} <pubDate>")
    except BankFormatError:
        return parse_day(text, _FEED_DATE_FORMATS[1], f"{where} <pubDate>")


def _item_row(item: Element, day: date) -> tuple[date, str, Decimal, Decimal | None]:
    code = currency_code(optional_text(item, "title"), "NBK item")
    where = f"NBK {code}"
    value = parse_decimal(child_text(item, "description", where), f"{where} rate")
    quant = parse_units(child_text(item, "quant", where), f"{where} quant")
    rate, previous = unit_rates(value, quant, optional_text(item, "change"), f"{where} change")
    return day, code, rate, previous
