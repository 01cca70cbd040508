"""Central Bank of Russia: ``scripts/XML_daily.asp?date_req=DD/MM/YYYY``.

``<ValCurs Date="DD.MM.YYYY">`` in windows-1251 with ``<Valute>`` rows of
``CharCode``, ``Nominal``, ``Value`` (RUB per Nominal units) and, in newer files,
``VunitRate`` (RUB per one unit). Decimal comma throughout, and ``VunitRate`` may be
in scientific notation (``5,39256E-05``). It quotes all five Central Asian
currencies, which makes it the fallback when a home bank is down.
"""

from __future__ import annotations

from decimal import Decimal

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    child_text,
    currency_code,
    finish,
    optional_text,
    parse_day,
    parse_decimal,
    parse_units,
    parse_xml,
    per_unit,
)

SOURCE = "cbr"
BASE = "RUB"
_WHAT = "CBR"


def parse(data: bytes) -> list[RateQuote]:
    """Parse a CBR daily XML into quotes per USD.

    Args:
        data: The raw response body.

    Returns:
        RUB per USD and every other currency per USD; ``change`` is None.

    Raises:
        BankFormatError: Not a CBR file (an NBT file included), or a bad field.
    """
    root = parse_xml(data, _WHAT, "ValCurs")
    date_text = (root.get("Date") or "").strip()
    if not date_text:
        raise BankFormatError("not a CBR rates file: no Date attribute")
    try:
        day = parse_day(date_text, "%d.%m.%Y", "CBR Date attribute")
    except BankFormatError as exc:
        # NBT uses the same root with an ISO date; refuse it instead of misreading it.
        raise BankFormatError(
            f"not a CBR rates file: Date {date_text[:20]!r} is not DD.MM.YYYY"
        ) from exc
    table: dict[str, Decimal] = {}
    for row in root.findall("Valute"):
        code = currency_code(row.findtext("CharCode"), "CBR Valute")
        where = f"CBR {code}"
        # VunitRate is CBR's own per-unit figure; files from before it existed
        # only have Value per Nominal units.
        unit_text = optional_text(row, "VunitRate")
        if unit_text:
            rate = parse_decimal(unit_text, f"{where} VunitRate")
        else:
            value = parse_decimal(child_text(row, "Value", where), f"{where} Value")
            nominal = parse_units(child_text(row, "Nominal", where), f"{where} Nominal")
            rate = per_unit(value, nominal)
        # Keep the first row: a repeated code is a publishing glitch, not a correction.
        table.setdefault(code, rate)
    return finish(BASE, _WHAT, day, table, None, SOURCE)
