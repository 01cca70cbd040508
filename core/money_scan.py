"""Turning typed text into the pieces of a money request: numbers, currencies, connectors.

This is the lexical half of ``core.money``: it finds things but judges nothing. How
numbers are read is documented in ``core.money``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from core.currency_words import (
    APOSTROPHES,
    FILLERS,
    MULTIPLIERS,
    POSTPOSITIONS,
    PREPOSITIONS,
    SYMBOLS,
    Role,
    is_qualifier,
    lookup_currency,
    normalize_word,
)

_TOKEN_RE = re.compile(
    r"(?P<arrow>-+>|=+>|[→⟶⇒➡➔➜⇨=/])"
    r"|(?P<minus>[-−–])?(?P<number>[0-9]+(?:[ ',.][0-9]+)*|[.,][0-9]+)"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)"
    r"|(?P<other>\S)"
)
# "/convert@newsbot 100 usd": the command itself, when a caller passes it along.
_COMMAND_RE = re.compile(r"^[/@][A-Za-z]\w*(?:@\w+)?")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Mention:
    """A currency named in the input, with the direction its wording gives, if any."""

    code: str
    role: Role
    text: str


@dataclass(slots=True)
class Scan:
    """Everything found in one input, before deciding whether it makes sense."""

    numbers: list[tuple[str, bool, int]]  # digits as written, negative?, power of ten
    mentions: list[Mention]
    unknown: list[str]
    connectors: list[str]


def clean_text(text: str) -> str:
    """Return ``text`` with one kind of space and apostrophe, in NFKC, without the command."""
    text = text.translate(APOSTROPHES)
    if not text.isprintable():  # else no control, format or space character but " "
        kept: list[str] = []
        for char in text:
            category = unicodedata.category(char)
            if category == "Cf":
                # Zero-width and bidi marks hide inside copied words and numbers.
                continue
            kept.append(" " if category[0] in "CZ" else char)
        text = "".join(kept)
    cleaned = " ".join(unicodedata.normalize("NFKC", text).split())
    return _COMMAND_RE.sub("", cleaned).strip()


def read_number(text: str) -> Decimal | None:
    """Return the value of digits with separators, or None when malformed.

    The rules are listed in the ``core.money`` module docstring.
    """
    marks = [mark for mark in ",." if mark in text]
    spaced = " " in text or "'" in text
    decimal_mark: str | None = None
    if len(marks) == 2:
        decimal_mark = text[max(text.rfind(","), text.rfind("."))]
    elif len(marks) == 1 and text.count(marks[0]) == 1:
        head, _, tail = text.partition(marks[0])
        grouped = len(tail) == 3 and head.strip("0") != "" and not spaced
        decimal_mark = None if grouped else marks[0]
    head, tail = text, ""
    if decimal_mark is not None:
        if text.count(decimal_mark) != 1:
            return None
        head, _, tail = text.partition(decimal_mark)
        if not tail or not set(tail) <= _DIGITS:
            return None
    separators = set(head) - _DIGITS
    if len(separators) > 1:
        return None
    if separators:
        groups = head.split(separators.pop())
        if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
            return None
        head = "".join(groups)
    return Decimal(f"{head or '0'}.{tail}" if tail else head)


def scan_text(text: str) -> Scan:
    """Split cleaned input into numbers, currency mentions, connectors and unknown words."""
    scan = Scan(numbers=[], mentions=[], unknown=[], connectors=[])
    pending: Role = None
    matches = list(_TOKEN_RE.finditer(text))
    index = 0
    while index < len(matches):
        match = matches[index]
        index += 1
        if match.group("arrow"):
            scan.connectors.append(match.group())
            pending = "target"
        elif match.group("number"):
            start = match.start()
            # A minus glued to a word ("usd-100") is a hyphen, not a sign.
            negative = bool(match.group("minus")) and (start == 0 or not text[start - 1].isalnum())
            power = 0
            if index < len(matches) and matches[index].group("word"):
                power = MULTIPLIERS.get(normalize_word(matches[index].group()), 0)
                index += 1 if power else 0
            scan.numbers.append((match.group("number"), negative, power))
        elif match.group("word") or match.group("other"):
            word = match.group()
            key = normalize_word(word)
            if key in PREPOSITIONS:
                scan.connectors.append(word)
                pending = PREPOSITIONS[key]
            elif key in POSTPOSITIONS:
                scan.connectors.append(word)
                last = scan.mentions[-1] if scan.mentions else None
                if last is not None and last.role is None:
                    scan.mentions[-1] = Mention(last.code, POSTPOSITIONS[key], last.text)
            elif key in FILLERS or (match.group("word") and is_qualifier(word)):
                continue
            elif match.group("other") and word not in SYMBOLS:
                if unicodedata.category(word) == "Sc":
                    scan.unknown.append(word)
            else:
                found = lookup_currency(word)
                if found is None:
                    scan.unknown.append(word)
                else:
                    code, role = found
                    scan.mentions.append(Mention(code, role or pending, word))
                    pending = None
    return scan
