"""Plain-text helpers shared by the parsers: HTML to text, line cleaning, summaries."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

__all__ = [
    "clean_line",
    "guess_lang",
    "html_to_text",
    "make_summary",
    "normalize_lang",
    "shorten",
]

# Elements whose boundaries separate paragraphs of the extracted text.
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
# Elements whose content is never reader-visible text.
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "math", "title"})

# Format characters (Unicode category Cf) are invisible, yet a bidi override (U+202E)
# shows a title backwards and tag characters can hide text. All are dropped except the
# zero-width non-joiner and joiner, which Persian script and emoji sequences need, and
# the visible number signs of Arabic script (KEPT_FORMAT_CHARACTERS).
# tests/test_text.py checks the two lists against unicodedata's Cf.
_FORMAT_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x061C, 0x061C),  # Arabic letter mark
    (0x070F, 0x070F),
    (0x180E, 0x180E),
    (0x200B, 0x200B),  # zero-width space
    (0x200E, 0x200F),  # left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidi isolates, deprecated format characters
    (0xFEFF, 0xFEFF),  # byte order mark
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),  # tag characters
)
KEPT_FORMAT_CHARACTERS = frozenset(
    "\u200c\u200d\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u0890\u0891\u08e2\U000110bd\U000110cd"
)
_TAG_LIKE = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
# A sentence ends at . ! ? or … plus closing quotes, before a capitalised word.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s+[\"'“«(\[]?[0-9A-ZА-ЯЁ])")


class _TextExtractor(HTMLParser):
    """Collects text, turning block boundaries into paragraph breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0

    def _flush(self) -> None:
        paragraph = clean_line("".join(self._current))
        if paragraph:
            self.paragraphs.append(paragraph)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closing skip tag (<svg/>) has no content to skip.
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


# Control characters (category Cc) that str.split() does not already treat as spaces.
_CONTROL = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
# Those and the invisible format characters, in one class: a regex skips the letters it
# leaves alone far faster than ``str.translate`` looks each one up (tens of microseconds
# for a teaser of Cyrillic text, on every story of every answer).
_UNSEEN = re.compile(
    "["
    + _CONTROL
    + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in _FORMAT_RANGES)
    + "]"
)


def clean_line(s: str) -> str:
    """Normalise one line of text.

    Every run of whitespace (tabs, newlines, NBSP and other Unicode spaces) becomes
    one space, control and invisible characters are dropped, and the ends stripped.

    Args:
        s: Any string.

    Returns:
        The cleaned single-line string.
    """
    if s.isprintable():
        # No control, format or space character but the ASCII space: nothing to drop.
        return " ".join(s.split())
    return " ".join(_UNSEEN.sub("", s).split())


def _plain_to_paragraphs(text: str) -> list[str]:
    text = unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    return [p for p in (clean_line(chunk) for chunk in _BLANK_LINES.split(text)) if p]


def html_to_text(html: str) -> str:
    """Convert an HTML fragment to plain text.

    Tags are removed, entities unescaped, script/style content dropped and block
    elements (p, div, br, li, headings...) become paragraph breaks. Input without
    any tag is treated as plain text, where blank lines separate paragraphs.

    Args:
        html: HTML or plain text; never raises on malformed markup.

    Returns:
        Paragraphs joined by a blank line ("\\n\\n"), each with collapsed whitespace.
    """
    if not html:
        return ""
    if not _TAG_LIKE.search(html):
        return "\n\n".join(_plain_to_paragraphs(html))
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:
        # html.parser is lenient but has raised on odd markup in some versions;
        # a crude tag strip is better than losing the story.
        stripped = re.sub(r"<[^>]*>", "\n\n", html)
        return "\n\n".join(_plain_to_paragraphs(stripped))
    return "\n\n".join(parser.paragraphs)


def shorten(text: str, limit: int) -> str:
    """Cut text to at most ``limit`` characters on a word boundary, adding "…".

    Args:
        text: Single-line text (whitespace is collapsed first).
        limit: Maximum length of the result, ellipsis included.

    Returns:
        The text unchanged when it fits, otherwise a prefix ending in "…".
    """
    # A story's 5,000 characters need not all be cleaned for a 200-character teaser:
    # cleaning is letter by letter, so a cleaned head longer than the limit is the start
    # of the cleaned whole.
    head = limit * 4 + 64
    if len(text) > head:
        cleaned_head = clean_line(text[:head])
        text = cleaned_head if len(cleaned_head) > limit else clean_line(text)
    else:
        text = clean_line(text)
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def make_summary(text: str, limit: int = 280) -> str:
    """Make a short teaser from the beginning of a text.

    Whole sentences are kept while they fit in ``limit``. When they would fill less
    than half of it (or the first sentence is already too long), the text is cut on
    a word boundary and ends with "…" instead.

    Args:
        text: Plain text, possibly with several paragraphs.
        limit: Maximum length of the summary in characters.

    Returns:
        The summary, at most ``limit`` characters ("" for empty text).
    """
    flat = clean_line(text)
    if len(flat) <= limit:
        return flat
    taken = 0
    for match in _SENTENCE_END.finditer(flat):
        if match.end() > limit:
            break
        taken = match.end()
    if taken * 2 >= limit:
        return flat[:taken]
    return shorten(flat, limit)


def guess_lang(text: str) -> str:
    """Guess "ru" or "en" from the share of Cyrillic letters.

    Args:
        text: Any text.

    Returns:
        "ru" when more than 30% of the letters are Cyrillic, else "en".
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return "ru" if cyrillic * 10 > len(letters) * 3 else "en"


def normalize_lang(value: object) -> str | None:
    """Reduce a language tag to its ISO 639-1 code.

    Args:
        value: A tag such as "en-US", "ru_RU" or "kk"; anything else is ignored.

    Returns:
        The lower-case 2-letter code, or None when the tag has none.
    """
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None
