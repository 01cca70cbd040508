"""JSON Lines bulk import: one story object per line.

Fields: ``title`` (required), ``text``, ``summary``, ``url``, ``published`` (ISO 8601),
``lang``, ``source``, ``countries``; unknown fields are ignored. A bad line becomes a
``LineError`` whose reason is printed as ``FILE:LINE: reason``, and the import goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import urlsplit

from core.plain_text import clean_line, html_to_text, make_summary, normalize_lang, shorten
from core.types import MAX_COUNTRIES, MAX_SOURCE_CHARS, MAX_URL_CHARS, StoryDraft

__all__ = [
    "MAX_LINE_BYTES",
    "MAX_TITLE_CHARS",
    "LineError",
    "iter_jsonl",
    "iter_jsonl_file",
    "parse_jsonl_line",
]

MAX_LINE_BYTES = 1024 * 1024
MAX_TITLE_CHARS = 1000

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANG_TAG = re.compile(r"^[A-Za-z]{2}(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True, slots=True)
class LineError:
    """A line that could not be imported.

    Attributes:
        line: 1-based line number in the file.
        reason: Short lower-case English phrase, e.g. "missing title".
    """

    line: int
    reason: str


class _BadField(ValueError):
    """A field failed validation; the message is the line's reason."""


def _short(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return shorten(text, limit) or '""'


def _optional_str(obj: dict[str, object], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadField(f"{key} is not a string")
    return value


def _title(obj: dict[str, object]) -> str:
    raw = obj.get("title")
    if raw is None:
        raise _BadField("missing title")
    if not isinstance(raw, str):
        raise _BadField("title is not a string")
    title = clean_line(html_to_text(raw))
    if not title:
        raise _BadField("missing title")
    return shorten(title, MAX_TITLE_CHARS)


def _url(obj: dict[str, object]) -> str | None:
    raw = _optional_str(obj, "url")
    if raw is None or not raw.strip():
        return None
    url = raw.strip()
    if len(url) > MAX_URL_CHARS:
        raise _BadField(f"url too long ({len(url)} characters, at most {MAX_URL_CHARS})")
    parts = urlsplit(url)
    unsafe = any(ch.isspace() or not ch.isprintable() for ch in url)
    if unsafe or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise _BadField(f"bad url: {_short(url)}")
    return url


def _published(obj: dict[str, object]) -> datetime | None:
    raw = obj.get("published")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise _BadField(f"bad published date: {_short(raw)}")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise _BadField(f"bad published date: {_short(raw)}") from None
    # Naive times (and bare dates) are taken as UTC; aware ones are converted to it.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _lang(obj: dict[str, object]) -> str | None:
    raw = obj.get("lang")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or not _LANG_TAG.match(raw.strip()):
        raise _BadField(f"bad lang: {_short(raw)}")
    return normalize_lang(raw)


def _countries(obj: dict[str, object]) -> tuple[str, ...]:
    raw = obj.get("countries")
    if raw is None:
        return ()
    if isinstance(raw, str):
        items: list[object] = [part for part in raw.split(",") if part.strip()]
    elif isinstance(raw, list):
        items = list(raw)
    else:
        raise _BadField("countries is not a list or string")
    codes: list[str] = []
    for item in items:
        code = item.strip().upper() if isinstance(item, str) else ""
        if not _COUNTRY.match(code):
            raise _BadField(f"bad country code: {_short(item)}")
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_COUNTRIES:
        raise _BadField(f"too many countries ({len(codes)}, at most {MAX_COUNTRIES})")
    return tuple(codes)


def _story(obj: dict[str, object], source: str) -> StoryDraft:
    title = _title(obj)
    text = html_to_text(_optional_str(obj, "text") or "")
    summary = html_to_text(_optional_str(obj, "summary") or "")
    own_source = shorten(clean_line(_optional_str(obj, "source") or ""), MAX_SOURCE_CHARS)
    return StoryDraft(
        title=title,
        text=text,
        # Summaries are teasers everywhere in the app, so a long one is cut too.
        summary=make_summary(summary or text),
        url=_url(obj),
        published=_published(obj),
        lang=_lang(obj),
        source=own_source or source,
        countries=_countries(obj),
    )


def parse_jsonl_line(line: bytes | str, lineno: int, source: str) -> StoryDraft | LineError | None:
    """Parse one line of a JSON Lines file.

    Args:
        line: The raw line, with or without its line ending.
        lineno: 1-based line number, for the error.
        source: The file's source name; a ``source`` field overrides it.

    Returns:
        A draft, a ``LineError`` explaining why the line was refused, or None for a
        blank line.
    """
    # The limit is on the content: a maximal line plus its newline is still fine.
    line = line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n")
    size = len(line) if isinstance(line, bytes) else len(line.encode("utf-8", "surrogatepass"))
    if size > MAX_LINE_BYTES:
        return LineError(lineno, "line too long")
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            return LineError(lineno, "line is not UTF-8")
    line = line.lstrip("\ufeff")
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return LineError(lineno, f"invalid JSON: {exc.msg.lower()} at column {exc.colno}")
    except RecursionError:
        return LineError(lineno, "invalid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return LineError(lineno, "not an object")
    try:
        return _story(obj, source)
    except _BadField as exc:
        return LineError(lineno, str(exc))


def iter_jsonl(lines: Iterable[bytes], source: str) -> Iterator[StoryDraft | LineError]:
    """Parse JSON Lines, skipping blank lines.

    Args:
        lines: Raw lines, e.g. a file opened in binary mode.
        source: The file's source name.

    Yields:
        A draft or a ``LineError`` per non-blank line, in order.
    """
    for lineno, line in enumerate(lines, start=1):
        result = parse_jsonl_line(line, lineno, source)
        if result is not None:
            yield result


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes]:
    """Yield lines, cutting any longer than the limit so one line cannot fill memory."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            # Read past the rest of the over-long line in bounded chunks.
            while True:
                rest = stream.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def iter_jsonl_file(stream: BinaryIO, source: str) -> Iterator[StoryDraft | LineError]:
    """Parse a JSON Lines file without ever holding more than one bounded line.

    Args:
        stream: A file opened in binary mode.
        source: The file's source name.

    Returns:
        An iterator as from ``iter_jsonl``; an over-long line gives "line too long".
    """
    return iter_jsonl(_bounded_lines(stream), source)
