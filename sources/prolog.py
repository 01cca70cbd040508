"""Find an XML document's root element by one forward scan over its prolog.

The prolog (declaration, comments, processing instructions, a DOCTYPE with its internal
subset) is skipped item by item with ``str.find``: every step moves forward, so the
work is linear in the head's length whatever it holds. A regex with a repeated group of
lazy items backtracks exponentially on thirty ``<?a?>`` followed by no root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_PROLOG_ITEMS", "RootElement", "find_root_element"]

# Real files have a declaration, a DOCTYPE and a few comments; hundreds mean a hostile file.
MAX_PROLOG_ITEMS = 100
_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_SPACE = " \t\r\n"


@dataclass(frozen=True, slots=True)
class RootElement:
    """The root element's name (with any namespace prefix) and the character after it."""

    name: str
    follower: str

    @property
    def local_name(self) -> str:
        """The name without its namespace prefix: ``RDF`` for ``rdf:RDF``."""
        return self.name.rpartition(":")[2]


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in _SPACE:
        at += 1
    return at


def _after(text: str, at: int, closer: str) -> int:
    end = text.find(closer, at)
    return -1 if end < 0 else end + len(closer)


def _after_doctype(text: str, at: int) -> int:
    # <!DOCTYPE name ... [ internal subset ] > : the subset may hold ">" of its own.
    close = text.find(">", at)
    if close < 0:
        return -1
    # Looked for only up to the first ">": a document without a subset is not read twice.
    bracket = text.find("[", at, close)
    if bracket < 0:
        return close + 1
    # The subset ends at the first "]" followed by optional space and ">"; each try
    # starts past the previous "]", so no character is looked at more than twice.
    at = bracket + 1
    while True:
        closer = text.find("]", at)
        if closer < 0:
            return -1
        after = _skip_space(text, closer + 1)
        if text.startswith(">", after):
            return after + 1
        at = closer + 1


def _after_prolog_item(text: str, at: int) -> int | None:
    """Where the prolog item at ``at`` ends; None when ``at`` starts no prolog item."""
    if text.startswith("<?", at):
        return _after(text, at + 2, "?>")
    if text.startswith("<!--", at):
        return _after(text, at + 4, "-->")
    if text[at : at + 9].upper() == "<!DOCTYPE":
        return _after_doctype(text, at + 9)
    return None


def find_root_element(text: str) -> RootElement | None:
    """The first element after leading space and the prolog, or None when there is none.

    An unterminated prolog item, more than ``MAX_PROLOG_ITEMS`` of them, or anything but
    markup before the root gives None.
    """
    at = _skip_space(text, 0)
    for _ in range(MAX_PROLOG_ITEMS + 1):
        end = _after_prolog_item(text, at)
        if end is None:
            break
        if end < 0:
            return None
        at = _skip_space(text, end)
    else:
        return None
    if not text.startswith("<", at):
        return None
    match = _NAME.match(text, at + 1)
    if match is None:
        return None
    return RootElement(match.group(), text[match.end() : match.end() + 1])
