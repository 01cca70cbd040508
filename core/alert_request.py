"""Reading an alert request: ``usd kzt above 520``, ``usd kzt > 520``, ``kgs uzs below 139``,
and the natural forms of the seven languages ("сообщи, когда доллар будет дороже 520
тенге", "доллар 520 теңгеден асса хабарла", "dollar 12 300 so'mdan oshsa xabar ber").

Pieces reused from the money parser: text cleaning, amounts in words, the number rules
(``core.money``) and every currency word (``core.currency_words``).

* The level is the one number. The currency written right after it is the one the level
  is counted in (``520 тенге``: the quote); the other one is the base. Without such a
  currency the written order decides: ``usd kzt above 520`` is KZT per 1 USD.
* The direction is a word or a sign (``above``, ``>``, ``дороже``, ``асса``, ``oshsa``,
  ``below``, ``<``, ``ниже``, ``arzon``); without one the caller takes the side the level
  lies on from the current rate.
* Other words are ignored (they are "tell me when"), except a three-letter Latin word
  where a currency is missing, which is reported as an unknown currency.

Never raises: every problem is an ``AlertParseFailure`` with a reason code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from core.alert_words import DIRECTION_SIGNS, DIRECTION_WORDS
from core.alerts import Direction
from core.currency_words import MULTIPLIERS, is_qualifier, lookup_currency, normalize_word
from core.money_scan import clean_text, read_number
from core.number_words import spell_out_numbers

AlertFailureReason = Literal[
    "empty",  # nothing after /alert
    "too_long",  # longer than MAX_ALERT_CHARS
    "no_level",  # no number
    "bad_level",  # a malformed number, or more than one
    "not_positive",  # zero or negative
    "too_large",  # above MAX_LEVEL
    "unknown_currency",  # a three-letter word where a currency belongs
    "no_pair",  # fewer than two currencies
    "too_many_currencies",  # more than two
    "same_currency",  # the same currency twice
    "both_directions",  # above and below at once
]

MAX_ALERT_CHARS = 200
MAX_LEVEL = Decimal(10) ** 9
MAX_LEVEL_DIGITS = 15
_FRAGMENT_CHARS = 40

_TOKEN_RE = re.compile(
    r"(?P<sign>[<>]=?|=[<>]|[≥≤])"
    r"|(?P<minus>[-−–])?(?P<number>[0-9]+(?:[ ',.][0-9]+)*|[.,][0-9]+)"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)"
    r"|(?P<other>\S)"
)
# Tags pasted with the text ("<b>usd</b>") are not comparison signs.
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
# "/alert off 2", and the same word in each language ("/alert удалить 2", "/alert oʻchir 2").
_REMOVE_WORDS = frozenset(
    normalize_word(word)
    for word in (
        *("off", "del", "delete", "remove", "rm", "stop", "удалить", "удали", "өшір"),
        *("o'chir", "өчүр", "пок", "poz"),
    )
)


@dataclass(frozen=True, slots=True)
class AlertRequest:
    """An alert as asked: ``quote`` per 1 ``base`` crossing ``level``.

    Attributes:
        base: ISO code of the currency priced (USD in "usd kzt above 520").
        quote: ISO code the level is counted in (KZT).
        level: The level, positive.
        direction: ``above`` or ``below``; None when the request named none.
    """

    base: str
    quote: str
    level: Decimal
    direction: Direction | None


@dataclass(frozen=True, slots=True)
class AlertParseFailure:
    """Why an alert request could not be read, with the piece at fault (plain text)."""

    reason: AlertFailureReason
    fragment: str = ""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["number", "currency", "unknown"]
    text: str
    code: str = ""
    negative: bool = False
    power: int = 0


def _fail(reason: AlertFailureReason, fragment: str = "") -> AlertParseFailure:
    short = fragment if len(fragment) <= _FRAGMENT_CHARS else fragment[: _FRAGMENT_CHARS - 1] + "…"
    return AlertParseFailure(reason, short)


def parse_removal(text: str) -> int | None:
    """The number N of ``off N`` / ``delete N``; None when ``text`` is not a removal."""
    words = text.split()
    if len(words) == 2 and normalize_word(words[0]) in _REMOVE_WORDS and words[1].isascii():
        digits = words[1].lstrip("#")
        if digits.isdigit() and len(digits) <= 6:
            return int(digits)
    return None


def is_removal(text: str) -> bool:
    """Whether ``text`` starts like a removal (``off ...``), well-formed or not."""
    words = text.split()
    return bool(words) and normalize_word(words[0]) in _REMOVE_WORDS


def _tokens(text: str) -> tuple[list[_Token], list[Direction]]:
    """Numbers, currencies and unknown words in order, and every direction named."""
    tokens: list[_Token] = []
    directions: list[Direction] = []
    matches = list(_TOKEN_RE.finditer(text))
    index = 0
    while index < len(matches):
        match = matches[index]
        index += 1
        if match.group("sign"):
            directions.append(DIRECTION_SIGNS.get(match.group(), "above"))
        elif match.group("number"):
            start = match.start()
            negative = bool(match.group("minus")) and (start == 0 or not text[start - 1].isalnum())
            power = 0
            if index < len(matches) and matches[index].group("word"):
                power = MULTIPLIERS.get(normalize_word(matches[index].group()), 0)
                index += 1 if power else 0
            tokens.append(_Token("number", match.group("number"), negative=negative, power=power))
        elif match.group("word") or match.group("other"):
            word = match.group()
            key = normalize_word(word)
            if key in DIRECTION_WORDS:
                directions.append(DIRECTION_WORDS[key])
                continue
            if match.group("word") and is_qualifier(word):
                continue
            found = lookup_currency(word) if key else None
            if found is not None:
                tokens.append(_Token("currency", word, code=found[0]))
            elif match.group("word") and len(word) == 3 and word.isascii():
                tokens.append(_Token("unknown", word))
    return tokens, directions


def _level(token: _Token) -> Decimal | AlertParseFailure:
    value = read_number(token.text)
    if value is None or len(token.text) > MAX_LEVEL_DIGITS + 4:
        return _fail("bad_level", token.text)
    if token.power:
        value = value.scaleb(token.power)
    if token.negative or value == 0:
        return _fail("not_positive", ("-" if token.negative else "") + token.text)
    if value > MAX_LEVEL:
        return _fail("too_large", token.text)
    if len(value.normalize().as_tuple().digits) > MAX_LEVEL_DIGITS:
        return _fail("bad_level", token.text)
    return value


def parse_alert_request(text: object) -> AlertRequest | AlertParseFailure:
    """Read an alert request (see the module docstring); never raises.

    Args:
        text: What the person typed, with or without ``/alert``.
    """
    if not isinstance(text, str) or not text.strip():
        return _fail("empty")
    stripped = text.strip()
    if len(stripped) > MAX_ALERT_CHARS:
        return _fail("too_long", stripped)
    cleaned = spell_out_numbers(clean_text(_TAG_RE.sub(" ", stripped)))
    if not cleaned:
        return _fail("empty")
    tokens, directions = _tokens(cleaned)
    numbers = [i for i, token in enumerate(tokens) if token.kind == "number"]
    currencies = [i for i, token in enumerate(tokens) if token.kind == "currency"]
    unknown = [token for token in tokens if token.kind == "unknown"]
    if len(currencies) < 2 and unknown:
        return _fail("unknown_currency", unknown[0].text)
    if len(currencies) > 2:
        return _fail("too_many_currencies", tokens[currencies[2]].text)
    if len(currencies) < 2:
        return _fail("no_pair", tokens[currencies[0]].text if currencies else "")
    if not numbers:
        return _fail("no_level")
    if len(numbers) > 1:
        return _fail("bad_level", tokens[numbers[1]].text)
    level = _level(tokens[numbers[0]])
    if isinstance(level, AlertParseFailure):
        return level
    first, second = (tokens[i] for i in currencies)
    if first.code == second.code:
        return _fail("same_currency", second.text)
    if len(set(directions)) > 1:
        return _fail("both_directions")
    # The currency right after the number is the one the level is counted in.
    after = numbers[0] + 1
    base, quote = (second, first) if after == currencies[0] else (first, second)
    return AlertRequest(base.code, quote.code, level, directions[0] if directions else None)
