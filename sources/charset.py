"""Finding the real encoding of a feed when it names none, or names the wrong one.

Order of trust: a byte-order mark; the NUL pattern of UTF-16/32 without one; the XML
declaration; the server's charset; UTF-8. A named encoding is kept when the bytes are
valid in it and the text reads plausibly (``core.mojibake``); otherwise
charset-normalizer guesses from the bytes and its guess is kept only when it reads
plausibly; valid UTF-8 is never handed to the detector. When nothing reads plausibly,
the bytes are read as UTF-8 with the bad bytes replaced, so that each garbled title is
refused on its own instead of the whole feed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from core.mojibake import is_garbled
from sources.decoding import declared_encoding

__all__ = ["DecodedFeed", "decode_feed", "unicode_without_bom"]

_DECLARATION_ENCODING = re.compile(
    r"^(\s*<\?xml[^>]*?\bencoding\s*=\s*)([\"'])[^\"']*\2", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")
# The first four bytes of "<?xm" or "<rss" in each Unicode form without a byte-order mark.
# Each form as a mask of which of the first four bytes are NUL.
_NUL_PATTERNS: tuple[tuple[str, tuple[bool, ...]], ...] = (
    ("utf-32-le", (False, True, True, True)),
    ("utf-32-be", (True, True, True, False)),
    ("utf-16-le", (False, True, False, True)),
    ("utf-16-be", (True, False, True, False)),
)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True, slots=True)
class DecodedFeed:
    """A feed turned into UTF-8 bytes that say so.

    Attributes:
        data: UTF-8 bytes; an XML declaration, when present, names utf-8.
        encoding: The encoding the original bytes were read in.
        note: Why that encoding and not the named one ("" when the named one held).
    """

    data: bytes
    encoding: str
    note: str = ""


def unicode_without_bom(head: bytes) -> str | None:
    """The UTF-16/32 codec whose NUL pattern ``head`` has (no byte-order mark), or None."""
    if len(head) < 4:  # one code unit of UTF-32
        return None
    mask = tuple(byte == 0 for byte in head[:4])
    for name, pattern in _NUL_PATTERNS:
        if mask == pattern:
            return name
    return None


def _plausible(text: str) -> bool:
    return not is_garbled(_TAG.sub(" ", text))


def _try(data: bytes, name: str) -> str | None:
    try:
        return data.decode(codecs.lookup(name).name)
    except (LookupError, UnicodeDecodeError):
        return None


def _named(data: bytes, header_charset: str | None) -> tuple[str | None, bool]:
    """The encoding the bytes name, and whether that name is certain (BOM or NUL pattern)."""
    if data.startswith(_UTF32_BOMS):
        return "utf-32", True
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    bomless = unicode_without_bom(data[:64])
    if bomless:
        return bomless, True
    declared = declared_encoding(data)
    if declared and declared.startswith(("utf-16", "utf-32", "ucs")):
        declared = None  # a UTF-16 declaration on 8-bit bytes is a lie the bytes disprove
    return declared or header_charset, False


def decode_feed(data: bytes, header_charset: str | None = None) -> DecodedFeed:
    """Decode a feed's bytes whatever encoding they are really in.

    Args:
        data: The raw feed.
        header_charset: The HTTP header's charset, or None.

    Returns:
        UTF-8 bytes for the parser, the encoding used, and a note when it was guessed.
    """
    named, certain = _named(data, header_charset)
    if certain and named:
        return DecodedFeed(_as_utf8(data.decode(named, errors="replace")), named)
    candidates = [c for c in (named, "utf-8") if c]
    for name in dict.fromkeys(candidates):
        attempt = _try(data, name)
        if attempt is not None and _plausible(attempt):
            return DecodedFeed(_as_utf8(attempt), name)
    utf8 = _try(data, "utf-8")
    if utf8 is not None:
        # Valid UTF-8 is never second-guessed: a detector would find some legacy
        # encoding that makes mojibake "plausible" (GB18030 turns it into Chinese).
        return DecodedFeed(_as_utf8(utf8), "utf-8")
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        text = str(guess)
        if _plausible(text):
            said = f"named {named}" if named else "named no encoding"
            found = guess.encoding or "utf-8"
            return DecodedFeed(_as_utf8(text), found, f"{said}; read as {found}")
    text = data.decode("utf-8", errors="replace")
    return DecodedFeed(_as_utf8(text), "utf-8", "no encoding reads as plausible text")


def _as_utf8(text: str) -> bytes:
    # XML allows no NUL at all; a stray one would cut the text short in some parsers.
    text = text.removeprefix("\ufeff").replace("\0", "")
    text = _DECLARATION_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return text.encode("utf-8")
