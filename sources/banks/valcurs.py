"""The ``<ValCurs Date="...">`` layout: CBR's daily file, and NBT's copy of it.

Both have ``<Valute>`` rows of ``CharCode``, ``Nominal`` and ``Value`` (base currency
per Nominal units). They differ in the date style, in CBR's extra ``VunitRate``, and
in which bank's currency is the base; ``parse_valcurs`` takes those as arguments.
Other central banks (Moldova's, for one) publish the same layout with dotted dates:
CBR's files are told from theirs by CBR's own valute IDs (``R01235``), NBT's by its
ISO dates; the ``name`` attribute tells nothing (NBT's copies CBR's).
"""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree.ElementTree import Element

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    currency_code,
    finish,
    first_per_code,
    not_a_file,
    optional_text,
    parse_day,
    parse_decimal,
    parse_xml,
    rate_per_unit,
)


def parse_valcurs(
    data: bytes,
    *,
    what: str,
    date_format: str,
    unit_rate: bool,
    base: str,
    source: str,
    row_id: re.Pattern[str] | None = None,
    row_id_example: str = "",
) -> list[RateQuote]:
    """Parse a ``<ValCurs>`` file into quotes per USD.

    Args:
        data: The raw response body.
        what: Short bank name for messages, e.g. ``CBR``.
        date_format: The bank's ``Date`` attribute style, e.g. ``%d.%m.%Y``.
        unit_rate: Read ``VunitRate`` (per one unit) when a row has it.
        base: The bank's own currency.
        source: Source name for the quotes.
        row_id: The shape every ``Valute ID`` must have when only this bank's files
            have it (CBR's ``R01235``), so another bank's ValCurs is refused.
        row_id_example: One such ID, for the message.

    Returns:
        ``base`` per USD and every other currency per USD; ``change`` is None.

    Raises:
        BankFormatError: Not this bank's file (the other ValCurs bank's included),
            or a bad field.
    """
    root = parse_xml(data, what, "ValCurs")
    date_text = (root.get("Date") or "").strip()
    if not date_text:
        raise BankFormatError(f"{not_a_file(what)}: no Date attribute")
    try:
        day = parse_day(date_text, date_format, f"{what} Date attribute")
    except BankFormatError as exc:
        # CBR and NBT share this root and differ in the date style; refuse the other
        # bank's file instead of misreading it.
        shape = date_format.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")
        raise BankFormatError(
            f"{not_a_file(what)}: Date {date_text[:20]!r} is not {shape}"
        ) from exc
    rows = root.findall("Valute")
    if row_id is not None:
        _check_ids(rows, row_id, f"{what}-style ({row_id_example})", what)
    table = first_per_code(_row(row, what, unit_rate) for row in rows)
    return finish(base, what, day, table, None, source)


def _check_ids(rows: list[Element], row_id: re.Pattern[str], shape: str, what: str) -> None:
    for row in rows:
        found = (row.get("ID") or "").strip()
        if not row_id.fullmatch(found):
            # Other banks (Moldova's, for one) copied the layout but number rows their way.
            raise BankFormatError(f"{not_a_file(what)}: Valute ID {found[:20]!r} is not {shape}")


def _row(row: Element, what: str, unit_rate: bool) -> tuple[str, Decimal]:
    code = currency_code(row.findtext("CharCode"), f"{what} Valute")
    where = f"{what} {code}"
    if unit_rate:
        # VunitRate is CBR's own per-unit figure; files from before it existed
        # only have Value per Nominal units.
        unit_text = optional_text(row, "VunitRate")
        if unit_text:
            return code, parse_decimal(unit_text, f"{where} VunitRate")
    return code, rate_per_unit(row, "Value", "Nominal", where)
