"""Central Bank of Uzbekistan: ``arkhiv-kursov-valyut/json/[all/YYYY-MM-DD/]``.

A JSON array of objects; the ones used are ``Ccy`` (code), ``Rate`` (UZS per
``Nominal`` units), ``Diff`` (change of ``Rate`` since the previous fixing) and
``Date`` (``DD.MM.YYYY``, the effective date, which can precede the requested one).
Numbers arrive as strings.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from core.types import RateQuote
from sources.banks.xml import (
    BankFormatError,
    currency_code,
    finish_by_date,
    parse_day,
    parse_decimal,
    parse_units,
    unit_rates,
)

SOURCE = "cbu"
BASE = "UZS"
_WHAT = "CBU"


def parse(data: bytes) -> list[RateQuote]:
    """Parse a CBU JSON response into quotes per USD.

    Args:
        data: The raw response body (UTF-8/16/32, BOM allowed).

    Returns:
        UZS per USD (with the day's change) and every other currency per USD.

    Raises:
        BankFormatError: Not a CBU JSON array, or a field is missing or not numeric.
    """
    if not data.strip():
        raise BankFormatError("not a CBU rates file: empty response")
    try:
        payload = json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)
    except BankFormatError:
        raise
    except RecursionError as exc:
        raise BankFormatError("not a CBU rates file: JSON nested too deeply") from exc
    except ValueError as exc:
        # json.JSONDecodeError and UnicodeDecodeError are both ValueErrors.
        raise BankFormatError(f"not a CBU rates file: bad JSON ({exc})") from exc
    if not isinstance(payload, list):
        raise BankFormatError("not a CBU rates file: expected a JSON array")
    return finish_by_date(BASE, _WHAT, (_row(entry) for entry in payload), SOURCE)


def _row(entry: Any) -> tuple[date, str, Decimal, Decimal | None]:
    if not isinstance(entry, dict) or "Ccy" not in entry:
        raise BankFormatError("not a CBU rates file: rows are not currency objects")
    code = currency_code(_text(entry.get("Ccy")), "CBU row")
    where = f"CBU {code}"
    rate = parse_decimal(_text(entry.get("Rate")), f"{where} Rate")
    nominal = parse_units(_text(entry.get("Nominal", "1")), f"{where} Nominal")
    day = parse_day(_text(entry.get("Date")), "%d.%m.%Y", f"{where} Date")
    unit_rate, previous = unit_rates(rate, nominal, _text(entry.get("Diff")), f"{where} Diff")
    return day, code, unit_rate, previous


def _text(value: object) -> str:
    # Numbers are strings today; tolerate real JSON numbers too, but not bools/objects.
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return ""


def _reject_constant(name: str) -> None:
    raise BankFormatError(f"not a CBU rates file: {name} is not a rate")
