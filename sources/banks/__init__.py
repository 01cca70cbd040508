"""Parsers for the six central banks' official rates, and recognising whose file it is.

Each bank module has ``parse(data: bytes) -> list[RateQuote]`` giving "units of X per
1 USD" for every currency the bank lists, its own currency included. Every failure
is a BankFormatError with a short reason, never a raw parser exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.types import RateQuote
from sources.banks import cbr, cbt, cbu, nbk, nbkr, nbt
from sources.banks.xml import BankFormatError
from sources.prolog import find_root_element

__all__ = ["BANKS", "BankFormatError", "detect_bank", "parse_bank", "refusal_reason"]

_PARSERS: dict[str, Callable[[bytes], list[RateQuote]]] = {
    "nbk": nbk.parse,
    "nbkr": nbkr.parse,
    "cbu": cbu.parse,
    "nbt": nbt.parse,
    "cbt": cbt.parse,
    "cbr": cbr.parse,
}
BANKS: tuple[str, ...] = tuple(_PARSERS)

_HEAD_BYTES = 4096
_VALCURS_DATE = re.compile(r"<ValCurs\b[^>]*?\bDate\s*=\s*[\"']\s*([^\"']*)[\"']")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# CBR's own valute codes; no other bank's ValCurs has them (see ``cbr.VALUTE_ID``).
_CBR_VALUTE_ID = re.compile(r"<Valute\b[^>]*?\bID\s*=\s*[\"']R\d{5}[A-Z]?[\"']")


def detect_bank(data: bytes) -> str | None:
    """Guess which central bank a response came from by looking at its first 4 KB.

    Args:
        data: The raw response body.

    Returns:
        One of ``nbk``, ``nbkr``, ``cbu``, ``nbt``, ``cbt``, ``cbr``, or None when
        it looks like none of them.
    """
    head = _decode_head(data[:_HEAD_BYTES])
    stripped = head.lstrip()
    if stripped[:1] in ("[", "{"):
        return "cbu" if '"Ccy"' in head else None
    # The XML declaration, comments, processing instructions and a DOCTYPE are skipped.
    element = find_root_element(head)
    if element is None:
        return None
    root = element.name
    if root == "CurrencyRates":
        return "nbkr"
    if root == "cbt_currency_rate":
        return "cbt"
    # Both NBK formats carry the KZT-specific <quant> per item; plain RSS does not.
    if root in ("rates", "rss") and "<item" in head and "<quant" in head:
        return "nbk"
    if root == "ValCurs":
        return _detect_valcurs(head)
    return None


def parse_bank(kind: str, data: bytes) -> list[RateQuote]:
    """Parse a response from the bank ``kind`` into quotes per USD.

    Args:
        kind: ``nbk``, ``nbkr``, ``cbu``, ``nbt``, ``cbt`` or ``cbr``.
        data: The raw response body.

    Returns:
        The bank's quotes, its own currency first.

    Raises:
        BankFormatError: Unknown ``kind``, or the data is not a readable file of it.
            An NBKR weekly file alone also fails: it needs the daily USD rate (see
            ``nbkr.parse``).
    """
    parser = _PARSERS.get(kind)
    if parser is None:
        raise BankFormatError(f"unknown bank {kind!r}; expected one of {', '.join(BANKS)}")
    return parser(data)


def _decode_head(head: bytes) -> str:
    # Only ASCII markup matters here; latin-1 maps every byte, so UTF-8 and
    # windows-1251 heads both keep their tags intact. UTF-16 needs real decoding.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _detect_valcurs(head: str) -> str | None:
    # NBT and Moldova's central bank copied CBR's layout (NBT even its name attribute):
    # NBT's ISO date and CBR's own valute IDs tell them apart; anything else is neither.
    match = _VALCURS_DATE.search(head)
    if match is not None and _ISO_DATE.fullmatch(match.group(1).strip()):
        return "nbt"
    if _CBR_VALUTE_ID.search(head):
        return "cbr"
    return None


def refusal_reason(data: bytes) -> str | None:
    """Why a file laid out like a bank's is not read, in one line; None for other files.

    A ``<ValCurs>`` file that is neither CBR's nor NBT's (the National Bank of
    Moldova's, for one, with ``name="Official exchange rate"``) would otherwise be
    read as Russia's rates.
    """
    head = _decode_head(data[:_HEAD_BYTES])
    element = find_root_element(head)
    if element is None or element.name != "ValCurs" or _detect_valcurs(head) is not None:
        return None
    found = _VALCURS_DATE.search(head)
    date_text = found.group(1).strip()[:20] if found else ""
    return (
        f"a ValCurs rates file of no bank we read: its valute IDs are not CBR's (R01235) "
        f"and its Date {date_text!r} is not NBT's YYYY-MM-DD (Moldova's central bank, "
        "for one, publishes this layout)"
    )
