"""National Bank of the Kyrgyz Republic: ``XML/daily.xml`` and ``XML/weekly.xml``.

Both are ``<CurrencyRates Date="DD.MM.YYYY">`` with ``<Currency ISOCode="...">`` rows
of ``Nominal`` and ``Value`` (KGS per Nominal units, decimal comma, windows-1251).
The daily file has USD and a handful of majors; the weekly one has everything else
but no USD, so its crosses need the daily USD rate from the same run.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    currency_code,
    finish,
    first_per_code,
    parse_day,
    parse_xml,
    rate_per_unit,
)

SOURCE = "nbkr"
BASE = "KGS"
_WHAT = "NBKR"
WEEKLY_NEEDS_USD = "NBKR weekly rates need the daily USD rate; ingest daily.xml in the same run"


def parse_kgs_per_unit(data: bytes) -> tuple[date, dict[str, Decimal]]:
    """Read an NBKR daily or weekly file as KGS per ONE unit of each currency.

    Args:
        data: The raw response body.

    Returns:
        The effective date from the file and code -> KGS per unit.

    Raises:
        BankFormatError: Not an NBKR file, or a field is missing or not numeric.
    """
    root = parse_xml(data, _WHAT, "CurrencyRates")
    day = parse_day(root.get("Date"), "%d.%m.%Y", "NBKR Date attribute")
    table = first_per_code(_row(row) for row in root.findall("Currency"))
    if not table:
        raise BankFormatError("NBKR rates file has no rates")
    return day, table


def parse(data: bytes, usd_rate: Decimal | None = None) -> list[RateQuote]:
    """Parse an NBKR daily or weekly file into quotes per USD.

    Args:
        data: The raw response body.
        usd_rate: KGS per 1 USD from the daily file, used only when the file has no
            USD row (the weekly one). The KGS quote itself then belongs to the daily
            file and is not repeated here under the weekly date.

    Returns:
        KGS per USD (daily file only) and every other currency per USD. NBKR
        publishes no change, so ``change`` is None.

    Raises:
        BankFormatError: Not an NBKR file, a bad field, or a weekly file without
            ``usd_rate``.
    """
    day, table = parse_kgs_per_unit(data)
    if "USD" in table:
        return finish(BASE, _WHAT, day, table, None, SOURCE)
    if usd_rate is None:
        raise BankFormatError(WEEKLY_NEEDS_USD)
    quotes = finish(BASE, _WHAT, day, {**table, "USD": usd_rate}, None, SOURCE)
    return [quote for quote in quotes if quote.currency != BASE]


def _row(row: Element) -> tuple[str, Decimal]:
    code = currency_code(row.get("ISOCode"), "NBKR Currency")
    return code, rate_per_unit(row, "Value", "Nominal", f"NBKR {code}")
