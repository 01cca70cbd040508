"""Money: reading amounts and conversion requests as people type them, and Decimal arithmetic.

Money is ``Decimal`` end to end. Parsing never raises: every problem comes back as a
``ParseFailure`` whose ``reason`` is one of ``FAILURE_REASONS``; the caller turns the
code into a localized message. Arithmetic runs in local decimal contexts and never
touches the caller's (global) context.

How a number is read (``parse_amount`` and ``parse_conversion``):

* Spaces (including no-break and thin spaces) and apostrophes only group thousands:
  ``1 000``, ``1'000``.
* When both ``,`` and ``.`` appear, the one written last is the decimal mark:
  ``1,000.50`` and ``1.000,50`` are both 1000.5.
* A mark that appears more than once groups thousands: ``1,000,000``, ``1.000.000``.
* A single ``,`` or ``.`` followed by exactly three digits groups thousands when the
  part before it is not zero and no space/apostrophe grouping is used: ``1,000`` and
  ``1.000`` are 1000, but ``0,500`` is 0.5 and ``1 000,500`` is 1000.5.
* Otherwise a single ``,`` or ``.`` is the decimal mark: ``1,5``, ``1,50``, ``1.5``,
  ``10,0000`` (four digits) are decimals.
* Thousands groups must be exactly three digits after the first (1 to 3 digits),
  so ``12,34,567`` is rejected as ``bad_amount``.
* A multiplier may follow: ``k``/``к``/``тыс``/``ming`` (10^3), ``m``/``mln``/``млн``
  (10^6), ``b``/``bn``/``млрд`` (10^9), written together or apart: ``1.5k``, ``5 тыс``.
* An amount in words right before a currency is read too, in all seven languages:
  ``сто долларов``, ``бес мың теңге``, ``ду сад сомонӣ`` (``core.number_words``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal, get_args

from babel.numbers import get_currency_precision

from core.currency_words import find_currency
from core.money_scan import Mention, Scan, clean_text, read_number, scan_text
from core.number_words import spell_out_numbers

__all__ = [
    "FAILURE_REASONS",
    "MAX_AMOUNT",
    "MAX_INPUT_CHARS",
    "ConversionRequest",
    "FailureReason",
    "ParseFailure",
    "convert",
    "cross_rate",
    "find_currency",
    "minor_units",
    "parse_amount",
    "parse_conversion",
]

FailureReason = Literal[
    "empty",  # nothing but whitespace
    "too_long",  # longer than MAX_INPUT_CHARS
    "no_amount",  # no number anywhere
    "bad_amount",  # a malformed number, or more than one number
    "not_positive",  # zero or negative
    "too_large",  # above MAX_AMOUNT
    "no_currency",  # no currency to convert from
    "unknown_currency",  # a word or symbol where a currency belongs is not one we know
    "same_currency",  # converting a currency into itself
]
FAILURE_REASONS: frozenset[str] = frozenset(get_args(FailureReason))

MAX_AMOUNT = Decimal(10) ** 15
MAX_INPUT_CHARS = 200
MAX_FRAGMENT_CHARS = 40
CROSS_RATE_DIGITS = 12

# The scanner reads amounts from ASCII digits only (number words are spelled out first).
_DIGIT_RE = re.compile("[0-9]")
# 34 digits is decimal128: ample for amounts up to 10^15 times any real rate.
_WORK_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)
_CROSS_CONTEXT = Context(prec=CROSS_RATE_DIGITS, rounding=ROUND_HALF_UP)
# Wide enough that scaling any number that fits in MAX_INPUT_CHARS stays exact.
_PARSE_CONTEXT = Context(prec=MAX_INPUT_CHARS + 20, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class ConversionRequest:
    """What a person asked to convert.

    Attributes:
        amount: How much, always positive and at most ``MAX_AMOUNT``.
        source: ISO 4217 code of the currency converted from.
        target: ISO 4217 code converted to, or None when only one currency was given
            and there was no usable default.
    """

    amount: Decimal
    source: str
    target: str | None


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Why some input could not be read.

    Attributes:
        reason: One of ``FAILURE_REASONS``, stable for callers to map to messages.
        fragment: The piece of input not understood, plain text (escape before
            putting it in HTML), at most ``MAX_FRAGMENT_CHARS`` characters.
    """

    reason: FailureReason
    fragment: str


def _shorten(text: str) -> str:
    if len(text) <= MAX_FRAGMENT_CHARS:
        return text
    return text[: MAX_FRAGMENT_CHARS - 1] + "…"


def _fail(reason: FailureReason, fragment: str) -> ParseFailure:
    return ParseFailure(reason, _shorten(fragment))


def _amount_of(scan: Scan, text: str) -> Decimal | ParseFailure:
    if not scan.numbers:
        return _fail("no_amount", text)
    if len(scan.numbers) > 1:
        return _fail("bad_amount", scan.numbers[1][0])
    written, negative, power = scan.numbers[0]
    value = read_number(written)
    if value is None:
        return _fail("bad_amount", written)
    if power:
        value = value.scaleb(power, context=_PARSE_CONTEXT)
    if negative or value == 0:
        return _fail("not_positive", ("-" if negative else "") + written)
    if value > MAX_AMOUNT:
        return _fail("too_large", written)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        # "5k" is 5E+3 after scaling; people read and print it as 5000.
        value = value.quantize(Decimal(1), context=_PARSE_CONTEXT)
    return value


def _prepare(text: object) -> str | ParseFailure:
    if not isinstance(text, str):
        return _fail("empty", "")
    stripped = text.strip()
    # Checked before any per-character work so huge inputs cost next to nothing.
    if len(stripped) > MAX_INPUT_CHARS:
        return _fail("too_long", stripped[: MAX_FRAGMENT_CHARS + 1])
    cleaned = spell_out_numbers(clean_text(stripped))
    return cleaned if cleaned else _fail("empty", "")


def _read(text: object) -> tuple[str, Scan, Decimal] | ParseFailure:
    """Clean ``text``, scan it and read its one amount: the start of both parsers."""
    prepared = _prepare(text)
    if isinstance(prepared, ParseFailure):
        return prepared
    if _DIGIT_RE.search(prepared) is None:
        # What the scan would conclude, without looking every word up as a currency:
        # most free text is a question for the news, not an amount.
        return _fail("no_amount", prepared)
    scan = scan_text(prepared)
    amount = _amount_of(scan, prepared)
    if isinstance(amount, ParseFailure):
        return amount
    return prepared, scan, amount


def parse_amount(text: str) -> Decimal | ParseFailure:
    """Read an amount as people type it, e.g. ``"1 000,50"``, ``"1.5k"``, ``"$100"``.

    The number rules are in the module docstring. One currency mark next to the
    number (``$100``, ``100 usd``) is allowed and ignored; anything else is not.

    Args:
        text: The amount as typed.

    Returns:
        The positive amount, or a ParseFailure with reason ``empty``, ``too_long``,
        ``no_amount``, ``bad_amount``, ``not_positive`` or ``too_large``.
    """
    read = _read(text)
    if isinstance(read, ParseFailure):
        return read
    _, scan, amount = read
    extra = scan.unknown + scan.connectors + [mention.text for mention in scan.mentions[1:]]
    if extra:
        return _fail("bad_amount", extra[0])
    return amount


def _roles(first: Mention, second: Mention) -> tuple[Mention, Mention]:
    """Return (source, target) of two mentions: marks first, then written order."""
    if first.role == "target" and second.role != "target":
        return second, first
    if second.role == "source" and first.role != "source":
        return second, first
    return first, second


def parse_conversion(
    text: str, default_target: str | None = None
) -> ConversionRequest | ParseFailure:
    """Read a conversion request such as ``"100 usd kzt"`` or ``"100 долларов в тенге"``.

    Accepts an amount (see the module docstring), a currency to convert from and
    optionally one to convert to, in any order, joined by nothing, by a preposition
    (``to``, ``in``, ``into``, ``в``, ``во``, ``на``, Tajik ``ба``), an arrow or ``=``,
    or by a Turkic ending (``so'mga``, ``теңгеге``, ``so'm ga``). Question words
    ("сколько будет", "how much is") and country adjectives ("US", "российских") are
    skipped. Never raises.

    Args:
        text: What the person typed, with or without the leading ``/convert``.
        default_target: Currency to convert to when only one is given; ignored when
            it equals the source.

    Returns:
        A ConversionRequest, or a ParseFailure whose reason is in ``FAILURE_REASONS``.
    """
    read = _read(text)
    if isinstance(read, ParseFailure):
        return read
    prepared, scan, amount = read
    if scan.unknown:
        return _fail("unknown_currency", scan.unknown[0])
    mentions = scan.mentions
    if not mentions or (len(mentions) == 1 and mentions[0].role == "target"):
        return _fail("no_currency", prepared)
    if len(mentions) > 2:
        return _fail("unknown_currency", mentions[2].text)
    if len(mentions) == 1:
        source = mentions[0].code
        default = default_target.strip().upper() if isinstance(default_target, str) else ""
        return ConversionRequest(amount, source, default if default not in ("", source) else None)
    source_mention, target_mention = _roles(mentions[0], mentions[1])
    if source_mention.code == target_mention.code:
        return _fail("same_currency", target_mention.text)
    return ConversionRequest(amount, source_mention.code, target_mention.code)


def minor_units(currency: str) -> int:
    """Return how many decimal places ``currency`` is written with (KZT 2, JPY 0).

    Args:
        currency: ISO 4217 code, any case; unknown codes get babel's default of 2.
    """
    return int(get_currency_precision(currency.upper()))


def _check_rates(*rates: Decimal) -> None:
    for rate in rates:
        if not rate.is_finite() or rate <= 0:
            raise ValueError(f"exchange rates must be positive, got {rate}")


def convert(
    amount: Decimal, source_per_usd: Decimal, target_per_usd: Decimal, target: str
) -> Decimal:
    """Convert ``amount`` through USD and round it to ``target``'s minor units.

    Computed with 34 significant digits and rounded half up (what people expect
    for money), in local contexts: the global decimal context is neither used nor
    changed.

    Args:
        amount: Units of the source currency.
        source_per_usd: Units of the source currency per 1 USD.
        target_per_usd: Units of the target currency per 1 USD.
        target: ISO code of the target currency, for its minor units.

    Returns:
        The amount in the target currency with exactly ``minor_units(target)``
        decimal places, e.g. ``Decimal("47877.00")`` for 100 USD at 478.77 KZT.

    Raises:
        ValueError: When a rate is not a positive finite number.
    """
    _check_rates(source_per_usd, target_per_usd)
    with localcontext(_WORK_CONTEXT):
        # Multiplying first keeps it to one rounding, in the division.
        raw = amount * target_per_usd / source_per_usd
    places = minor_units(target)
    # Enough digits that quantize never fails for large results.
    digits = max(_WORK_CONTEXT.prec, raw.adjusted() + places + 2)
    quantum = Decimal((0, (1,), -places))
    return raw.quantize(quantum, context=Context(prec=digits, rounding=ROUND_HALF_UP))


def cross_rate(source_per_usd: Decimal, target_per_usd: Decimal) -> Decimal:
    """Return how many target units one source unit buys, to 12 significant digits.

    Args:
        source_per_usd: Units of the source currency per 1 USD.
        target_per_usd: Units of the target currency per 1 USD.

    Raises:
        ValueError: When a rate is not a positive finite number.
    """
    _check_rates(source_per_usd, target_per_usd)
    with localcontext(_CROSS_CONTEXT):
        return target_per_usd / source_per_usd
