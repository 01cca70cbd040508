"""Central Bank of Turkmenistan: ``kurs/YYYY/DDMMYYYY.xml``.

``<cbt_currency_rate>`` with one ``<date>`` and ``<rate code="...">`` rows of
``rate_usd``, ``multiplier`` and ``rate_tmt``. ``rate_tmt`` is TMT per ``multiplier``
units and is what we use. ``rate_usd`` is ignored: for most codes it is X per USD,
but for some (GBP, EUR, AUD, ...) it is USD per X, and nothing in the row says which.
USD/TMT is pegged, so the USD row's ``rate_tmt`` is 3.5.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    currency_code,
    finish,
    first_per_code,
    optional_text,
    parse_day,
    parse_xml,
    rate_per_unit,
)

SOURCE = "cbt"
BASE = "TMT"
_WHAT = "CBT"


def parse(data: bytes) -> list[RateQuote]:
    """Parse a CBT daily XML into quotes per USD.

    Args:
        data: The raw response body.

    Returns:
        TMT per USD and every other currency per USD; ``change`` is None.

    Raises:
        BankFormatError: Not a CBT file, or a field is missing or not numeric.
    """
    root = parse_xml(data, _WHAT, "cbt_currency_rate")
    date_text = optional_text(root, "date")
    if not date_text:
        raise BankFormatError("not a CBT rates file: no <date>")
    day = parse_day(date_text, "%d.%m.%Y", "CBT <date>")
    table = first_per_code(_row(row) for row in root.findall("rate"))
    return finish(BASE, _WHAT, day, table, None, SOURCE)


def _row(row: Element) -> tuple[str, Decimal]:
    code = currency_code(row.get("code"), "CBT rate")
    return code, rate_per_unit(row, "rate_tmt", "multiplier", f"CBT {code}")
