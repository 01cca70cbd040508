"""National Bank of Tajikistan: ``kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout``.

``<ValCurs Date="YYYY-MM-DD">`` with ``<Valute>`` rows of ``CharCode``, ``Nominal``
and ``Value`` (TJS per Nominal units, decimal point). It looks like CBR's format
but has an ISO date, no NumCode/VunitRate, and no change field.
"""

from __future__ import annotations

from core.types import RateQuote
from sources.banks.valcurs import parse_valcurs

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
    return parse_valcurs(
        data,
        what=_WHAT,
        date_format="%Y-%m-%d",
        unit_rate=False,
        base=BASE,
        source=SOURCE,
    )
