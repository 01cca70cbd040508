"""National Bank of Tajikistan: ``kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout``.

``<ValCurs Date="YYYY-MM-DD">`` with ``<Valute>`` rows of ``CharCode``, ``Nominal``
and ``Value`` (TJS per Nominal units, decimal point). It looks like CBR's format
but has an ISO date, no NumCode/VunitRate, and no change field.
"""

from __future__ import annotations

from decimal import Decimal

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    child_text,
    currency_code,
    finish,
    parse_day,
    parse_decimal,
    parse_units,
    parse_xml,
    per_unit,
)

SOURCE = "nbt"
BASE = "TJS"
_WHAT = "NBT"


def parse(data: bytes) -> list[RateQuote]:
    """Parse an NBT XML export into quotes per USD.

    Args:
        data: The raw response body.

    Returns:
        TJS per USD and every other currency per USD; ``change`` is None.

    Raises:
        BankFormatError: Not an NBT file (a CBR file included), or a bad field.
    """
    root = parse_xml(data, _WHAT, "ValCurs")
    date_text = (root.get("Date") or "").strip()
    if not date_text:
        raise BankFormatError("not an NBT rates file: no Date attribute")
    try:
        day = parse_day(date_text, "%Y-%m-%d", "NBT Date attribute")
    except BankFormatError as exc:
        # CBR uses the same root with DD.MM.YYYY; refuse it instead of misreading it.
        raise BankFormatError(
            f"not an NBT rates file: Date {date_text[:20]!r} is not YYYY-MM-DD"
        ) from exc
    table: dict[str, Decimal] = {}
    for row in root.findall("Valute"):
        code = currency_code(row.findtext("CharCode"), "NBT Valute")
        where = f"NBT {code}"
        value = parse_decimal(child_text(row, "Value", where), f"{where} Value")
        nominal = parse_units(child_text(row, "Nominal", where), f"{where} Nominal")
        # Keep the first row: a repeated code is a publishing glitch, not a correction.
        table.setdefault(code, per_unit(value, nominal))
    return finish(BASE, _WHAT, day, table, None, SOURCE)
