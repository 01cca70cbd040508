"""Getting a fetched body into the encoding its parser will read it in.

The parsers take bytes and let the XML declaration or a BOM decide the encoding
(windows-1251 at NBKR and CBR), because servers often send a wrong or no charset.
Only a body that carries neither gets the HTTP header's charset, and then it is
re-encoded as UTF-8, which is what an XML or JSON parser assumes without one.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "declared_encoding", "to_parser_bytes"]

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARATION = re.compile(
    rb"^\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']", re.DOTALL
)


class DecodeError(ValueError):
    """The body's bytes do not fit the charset they came with."""


def declared_encoding(body: bytes) -> str | None:
    """The encoding named by a BOM or the XML declaration at the start of ``body``."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _DECLARATION.match(body[:512])
    return match.group(1).decode("ascii").lower() if match else None


def to_parser_bytes(body: bytes, header_charset: str | None) -> bytes:
    """Bytes a parser reads correctly: as they are when they say their own encoding.

    Args:
        body: The raw body.
        header_charset: The charset from Content-Type, or None.

    Returns:
        ``body`` itself when a BOM or XML declaration names its encoding (that wins over
        the header, which is often wrong); otherwise UTF-8 bytes decoded from the header's
        charset, or from UTF-8 when there is none.

    Raises:
        DecodeError: An unknown charset, or bytes that are not valid in it.
    """
    if body.startswith(_BOMS) or declared_encoding(body):
        return body
    name = header_charset or "utf-8"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise DecodeError(f"the server named an unknown charset {name[:40]!r}") from None
    try:
        text = body.decode(codec.name)
    except UnicodeDecodeError as exc:
        said = "as the server said" if header_charset else "and no charset was given"
        raise DecodeError(f"the body is not {codec.name} {said} (byte {exc.start})") from None
    return body if codec.name == "utf-8" else text.encode("utf-8")
