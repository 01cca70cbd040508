"""Central Bank of Russia: ``scripts/XML_daily.asp?date_req=DD/MM/YYYY``.

``<ValCurs Date="DD.MM.YYYY">`` in windows-1251 with ``<Valute>`` rows of
``CharCode``, ``Nominal``, ``Value`` (RUB per Nominal units) and, in newer files,
``VunitRate`` (RUB per one unit). Decimal comma throughout, and ``VunitRate`` may be
in scientific notation (``5,39256E-05``). It quotes all five Central Asian
currencies, which makes it the fallback when a home bank is down.
"""

from __future__ import annotations

import re

from core.types import RateQuote
from sources.banks.valcurs import parse_valcurs

# CBR's own valute codes ("R01235" is USD, "R01020A" AZN): no other bank's ValCurs has them.
VALUTE_ID = re.compile(r"R\d{5}[A-Z]?")
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
        BankFormatError: Not a CBR file (an NBT or Moldovan file included: every row
            must carry CBR's ``R01235``-style ID), or a bad field.
    """
    return parse_valcurs(
        data,
        what=_WHAT,
        date_format="%d.%m.%Y",
        unit_rate=True,
        base=BASE,
        source=SOURCE,
        row_id=VALUTE_ID,
        row_id_example="R01235",
    )
