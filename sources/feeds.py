"""RSS 2.0, Atom and RDF (RSS 1.0) feed parser built on feedparser.

Feeds in the wild are often not well-formed, so the only hard XML check is a
defusedxml pass that refuses entity declarations (billion laughs, external
entities); everything else is left to feedparser's lenient parsing.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

from core.mojibake import is_garbled
from core.plain_text import clean_line, html_to_text, make_summary, normalize_lang
from core.types import StoryDraft
from sources.charset import decode_feed

__all__ = ["MAX_FEED_BYTES", "FeedError", "FeedResult", "parse_feed"]

MAX_FEED_BYTES = 20 * 1024 * 1024

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


class FeedError(ValueError):
    """The data cannot be read as a feed at all (as opposed to one bad entry)."""


@dataclass
class FeedResult:
    """What a feed yielded.

    Attributes:
        stories: One draft per usable entry, in feed order.
        skipped: One note per entry left out, e.g. "entry 3: no title".
        title: The feed's own title ("" when absent).
        encoding: The encoding the feed was read in.
        encoding_note: Why that encoding, when it is not the one the feed named ("").
    """

    stories: list[StoryDraft]
    skipped: list[str] = field(default_factory=list)
    title: str = ""
    encoding: str = "utf-8"
    encoding_note: str = ""


def _reject_entities(data: bytes) -> None:
    try:
        defusedxml.ElementTree.fromstring(data)
    except (
        defusedxml.EntitiesForbidden,
        defusedxml.DTDForbidden,
        defusedxml.ExternalReferenceForbidden,
    ) as exc:
        raise FeedError("entity declarations are not allowed") from exc
    except (ParseError, ValueError, LookupError):
        # Not well-formed or an unknown encoding: feedparser's loose mode may cope.
        pass


def _detail_text(detail: Any, fallback: str) -> str:
    """Turn a feedparser text construct into plain text, honouring its type."""
    value = fallback
    kind = "text/html"
    if isinstance(detail, dict):
        value = str(detail.get("value") or fallback)
        kind = str(detail.get("type") or kind).lower()
    if kind in _HTML_TYPES:
        return html_to_text(value)
    # Plain text constructs may still carry blank-line paragraphs; keep them.
    return "\n\n".join(p for p in (clean_line(x) for x in value.split("\n\n")) if p)


def _content_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        if isinstance(content, dict) and content.get("value"):
            text = _detail_text(content, "")
            if text:
                return text
    return ""


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get skips FeedParserDict's deprecated updated -> published aliasing.
        parsed = dict.get(entry, key)
        if isinstance(parsed, time.struct_time):
            try:
                # feedparser has already converted the date to UTC.
                return datetime(*parsed[:6], tzinfo=UTC)
            except (ValueError, OverflowError):
                continue
    return None


def _lang(entry: Any, feed_lang: str | None) -> str | None:
    candidates = [entry.get("language")]
    for key in ("content", "summary_detail", "title_detail"):
        detail = entry.get(key)
        if isinstance(detail, list):
            detail = detail[0] if detail else None
        if isinstance(detail, dict):
            candidates.append(detail.get("language"))
    for candidate in candidates:
        code = normalize_lang(candidate)
        if code:
            return code
    return feed_lang


def _url(entry: Any) -> str | None:
    link = entry.get("link")
    if not isinstance(link, str):
        return None
    link = link.strip()
    parts = urlsplit(link)
    return link if parts.scheme in ("http", "https") and parts.netloc else None


def _title(entry: Any) -> str:
    """The entry's own title: feedparser may fill ``title_detail`` from a nested element
    (``<image><title>``) while ``title`` keeps the entry's, so the detail only lends its type."""
    own = dict.get(entry, "title")
    detail = entry.get("title_detail")
    if isinstance(own, str) and not (isinstance(detail, dict) and detail.get("value") == own):
        detail = {"value": own, "type": "text/html"}
    return clean_line(_detail_text(detail, str(own or "")))


def _story(entry: Any, source: str, feed_lang: str | None) -> StoryDraft | str:
    """The entry as a draft, or why it is left out."""
    title = _title(entry)
    if not title:
        return "no title"
    if is_garbled(title):
        return f"title is not readable text, wrong encoding? ({title[:40]!r})"
    summary_text = _detail_text(entry.get("summary_detail"), str(entry.get("summary") or ""))
    text = _content_text(entry) or summary_text
    return StoryDraft(
        title=title,
        text=text,
        summary=make_summary(summary_text or text),
        url=_url(entry),
        published=_published(entry),
        lang=_lang(entry, feed_lang),
        source=source,
    )


def parse_feed(data: bytes, source: str = "feed", header_charset: str | None = None) -> FeedResult:
    """Parse an RSS 2.0, Atom or RDF feed into story drafts.

    Args:
        data: The raw feed bytes; the encoding is found as ``sources.charset`` says.
        source: Source name put on the stories.
        header_charset: The HTTP header's charset, or None.

    Returns:
        A ``FeedResult``: one draft per entry with a readable title (in feed order), a
        note per entry left out, the feed's title and the encoding it was read in.

    Raises:
        FeedError: Empty or oversized data, entity declarations, or data that is
            not a feed at all.
    """
    if len(data) > MAX_FEED_BYTES:
        raise FeedError("feed is larger than 20 MB")
    if not data.strip():
        raise FeedError("empty feed")
    decoded = decode_feed(data, header_charset)
    _reject_entities(decoded.data)
    # A stream, never bytes or str: feedparser would treat a str as a URL or path.
    parsed = feedparser.parse(io.BytesIO(decoded.data))
    feed = parsed.get("feed") or {}
    feed_title = clean_line(html_to_text(str(feed.get("title") or "")))
    entries = parsed.get("entries") or []
    if not entries and not feed_title and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed")
    feed_lang = normalize_lang(feed.get("language"))
    result = FeedResult(
        stories=[], title=feed_title, encoding=decoded.encoding, encoding_note=decoded.note
    )
    for number, entry in enumerate(entries, start=1):
        story = _story(entry, source, feed_lang)
        if isinstance(story, str):
            link = _url(entry)
            result.skipped.append(f"entry {number}: {story}" + (f" ({link})" if link else ""))
        else:
            result.stories.append(story)
    return result
