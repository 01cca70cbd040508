"""Recognise what kind of file a byte head is: bank response, feed, JSON Lines or page."""

from __future__ import annotations

import codecs
import json

from sources.banks import detect_bank
from sources.charset import unicode_without_bom
from sources.page import looks_like_page
from sources.prolog import find_root_element

__all__ = ["HEAD_BYTES", "detect_format"]

HEAD_BYTES = 64 * 1024
# How many non-blank lines of the head may show that a file is JSON Lines.
JSONL_PROBE_LINES = 20

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_FEED_ROOTS = ("rss", "feed")


def _markup_view(head: bytes) -> str:
    # Only ASCII markup is inspected; latin-1 keeps it intact for any 8-bit encoding.
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return head.decode("utf-32", errors="ignore")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    bomless = unicode_without_bom(head)  # UTF-16/32 without a byte-order mark
    if bomless:
        return head.decode(bomless, errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _is_feed(markup: str) -> bool:
    # After the XML declaration, comments, processing instructions and a DOCTYPE (its
    # internal subset included) the root element decides.
    root = find_root_element(markup)
    if root is None or not (root.follower.isspace() or root.follower in ("/", ">")):
        return False
    if ":" in root.name:
        return root.local_name.upper() == "RDF"
    return root.name.lower() in _FEED_ROOTS or root.name.upper() == "RDF"


def _utf8_text(head: bytes) -> str | None:
    # The head may end inside a multi-byte character; only that tail is forgiven.
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(
            head.removeprefix(codecs.BOM_UTF8), final=False
        )
    except UnicodeDecodeError:
        return None


def _is_object_line(line: bytes) -> bool:
    text = _utf8_text(line)
    if text is None:
        return False
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def _is_jsonl(body: bytes, truncated: bool) -> bool:
    # Any one valid object among the first lines claims the file: a broken first line
    # is the parser's to report (FILE:LINE), not a reason to refuse every good line.
    pieces = body.split(b"\n")
    # A line longer than what is left of the head cannot be parsed; its start decides.
    open_tail = pieces.pop().strip() if truncated else b""
    lines = [line for line in pieces if line.strip()][:JSONL_PROBE_LINES]
    return any(map(_is_object_line, lines)) or open_tail.startswith(b'{"')


def detect_format(head: bytes) -> str | None:
    """Say which parser a file needs, from its first 64 KB.

    Args:
        head: The beginning of the file (longer input is cut to 64 KB).

    Returns:
        "page", "feed", "jsonl", a bank kind ("nbk", "nbkr", "cbu", "nbt", "cbt",
        "cbr"), or None when the data is none of them.
    """
    truncated = len(head) >= HEAD_BYTES
    head = head[:HEAD_BYTES]
    body = head
    for bom in _BOMS:
        body = body.removeprefix(bom)
    if not body.strip():
        return None
    # Bank files are XML or JSON too, so they must be claimed before feeds and JSONL.
    bank = detect_bank(head)
    if bank is not None:
        return bank
    if _is_feed(_markup_view(head)):
        return "feed"
    if _is_jsonl(body, truncated):
        return "jsonl"
    text = _utf8_text(body)
    return "page" if text is not None and looks_like_page(text) else None
