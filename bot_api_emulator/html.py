"""Telegram's HTML parse mode: markup in, plain text and entities out (or Telegram's error).

Offsets and lengths are counted in UTF-16 code units, as Telegram counts them. The parser is
deliberately a little stricter than Telegram on one point: a bare ``&`` or ``>`` in the text is
refused (Telegram lets most of them through), because the bot must escape every dynamic string
and an emulator that lets an unescaped ``AT&T`` pass would hide exactly that bug.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from bot_api_emulator.errors import ApiError

# tag -> entity type; span and a need their attributes, so they are handled apart
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "span", "a", "blockquote", "tg-emoji"})
_CHAR_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# The well-formed markup the bot sends: start tags with double-quoted (or no) attribute
# values, end tags, and the character references Telegram knows.
_TOKEN = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:=\"[^\"]*\")?)*)\s*>"
    r"|</([a-zA-Z][a-zA-Z0-9-]*)\s*>"
    r"|&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"
)
_ATTRIBUTE = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)(?:=\"([^\"]*)\")?")
_MARKUP = re.compile(r"[<>&]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (characters outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class ParsedText:
    """The result of parsing: what a person sees and the formatting on top of it."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    tag: str
    entity: dict[str, Any] | None


class _Abort(Exception):
    """Raised inside the HTMLParser callbacks to stop at the first error."""


class _Entities:
    """Builds the plain text and the entities from tags, text and references in order.

    Telegram's rules for each tag live here once, for both parsers: the fast one for
    well-formed markup and ``HTMLParser``'s (``_TelegramHtml``), which words the errors.
    """

    def __init__(self, source: str) -> None:
        self._source = source
        self.parts: list[str] = []
        self.units = 0  # UTF-16 length of the text so far
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []
        self.error: str | None = None
        # Without characters outside the BMP a character is one UTF-16 unit.
        self._units_of = utf16_len if _ASTRAL.search(source) else len

    def fail(self, message: str) -> None:
        self.error = message
        raise _Abort

    def byte_offset(self) -> int:
        """Where an error is; only the full parser knows (the fast one gives up)."""
        return 0

    def add_text(self, text: str) -> None:
        self.parts.append(text)
        self.units += self._units_of(text)

    def handle_entityref(self, name: str) -> None:
        self.add_text(_NAMED[name])  # anything else was refused by the pre-scan

    def handle_charref(self, name: str) -> None:
        number = int(name[1:], 16) if name[:1] in "xX" else int(name)
        if not 0 < number <= 0x10FFFF or 0xD800 <= number <= 0xDFFF:
            self.fail(f"Invalid character reference &#{name}; at byte offset {self.byte_offset()}")
        # Counted by itself: "&#128512;" may be the only character outside the BMP.
        self.parts.append(chr(number))
        self.units += 2 if number > 0xFFFF else 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        simple = _SIMPLE_TAGS.get(tag)
        if simple is not None and tag != "code":
            # <b>, <i> and the like: no attribute changes anything (the usual case).
            self.stack.append(_Open(tag, {"type": simple, "offset": self.units}))
            return
        if tag not in SUPPORTED_TAGS:
            self.fail(f'Unsupported start tag "{tag}" at byte offset {self.byte_offset()}')
        values = {name: value or "" for name, value in attrs}
        entity: dict[str, Any] | None
        if tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
            language = values.get("class", "")
            parent = self.stack[-1] if self.stack else None
            pre_entity = parent.entity if parent is not None and parent.tag == "pre" else None
            if tag == "code" and pre_entity is not None:
                # <pre><code class="language-x"> is one pre entity with a language in Telegram
                if language.startswith("language-"):
                    pre_entity["language"] = language.removeprefix("language-")
                entity = None
        elif tag == "span":
            if values.get("class") != "tg-spoiler":
                self.fail(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset()}'
                )
            entity = {"type": "spoiler"}
        elif tag == "a":
            href = values.get("href", "").strip()
            entity = {"type": "text_link", "url": href} if href else None
        elif tag == "blockquote":
            expandable = "expandable" in values
            entity = {"type": "expandable_blockquote" if expandable else "blockquote"}
        else:  # tg-emoji
            emoji_id = values.get("emoji-id", "")
            if not emoji_id.isdigit():
                self.fail(
                    'Tag "tg-emoji" must have attribute "emoji-id" '
                    f"at byte offset {self.byte_offset()}"
                )
            entity = {"type": "custom_emoji", "custom_emoji_id": emoji_id}
        if entity is not None:
            entity["offset"] = self.units
        self.stack.append(_Open(tag, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.fail(f"Unexpected end tag at byte offset {self.byte_offset()}")
        opened = self.stack.pop()
        if opened.tag != tag:
            self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset()}, expected "
                f'"</{opened.tag}>", found "</{tag}>"'
            )
        if opened.entity is not None:
            opened.entity["length"] = self.units - opened.entity["offset"]
            if opened.entity["length"] > 0:  # Telegram drops empty entities
                self.entities.append(opened.entity)


class _TelegramHtml(_Entities, HTMLParser):
    """``HTMLParser`` feeding the entity builder: any markup, with Telegram's error words."""

    def __init__(self, source: str) -> None:
        _Entities.__init__(self, source)
        HTMLParser.__init__(self, convert_charrefs=False)

    def byte_offset(self) -> int:
        # Only worked out for an error message: it re-encodes the text up to here.
        line, column = self.getpos()
        line_starts = [0] + [m.end() for m in re.finditer("\n", self._source)]
        index = line_starts[line - 1] + column
        return len(self._source[:index].encode("utf-8"))

    def handle_data(self, data: str) -> None:
        for char in ("<", ">"):
            position = data.find(char)
            if position >= 0:
                offset = self.byte_offset() + len(data[:position].encode("utf-8"))
                if char == "<":
                    self.fail(f'Unsupported start tag "" at byte offset {offset}')
                self.fail(f'Unescaped ">" at byte offset {offset}: write it as &gt;')
        self.add_text(data)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.fail(f'Unsupported start tag "{tag}/" at byte offset {self.byte_offset()}')

    def handle_comment(self, data: str) -> None:
        self.fail(f'Unsupported start tag "!--" at byte offset {self.byte_offset()}')

    def handle_decl(self, decl: str) -> None:
        self.fail(f'Unsupported start tag "!" at byte offset {self.byte_offset()}')

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_pi(self, data: str) -> None:
        self.fail(f'Unsupported start tag "?" at byte offset {self.byte_offset()}')


def _check_ampersands(source: str) -> None:
    for match in re.finditer("&", source):
        if not _CHAR_ENTITY.match(source, match.start()):
            offset = len(source[: match.start()].encode("utf-8"))
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unescaped "&" at byte offset {offset}: '
                "write it as &amp;",
            )


def _parse_well_formed(source: str) -> ParsedText | None:
    """Parse markup that is well formed, fast; None for anything else.

    The same handlers as the full parser build the entities, fed by one regular expression
    instead of ``HTMLParser``'s general tokenizer (three times slower on the bot's replies,
    a cost the emulator would charge to the bot). On any doubt (a stray ``<``, ``>`` or
    ``&``, a tag or reference the handlers refuse, a tag left open) it gives up, and the
    full parser finds the error and words it as Telegram does.
    """
    builder = _Entities(source)
    # Text, then the four groups of a token (start tag, its attributes, end tag,
    # reference), then text again, and so on: one C call tokenizes the whole message.
    pieces = _TOKEN.split(source)
    add_text, start_tag, end_tag = builder.add_text, builder.handle_starttag, builder.handle_endtag
    try:
        for index in range(0, len(pieces) - 1, 5):
            text = pieces[index]
            if text:
                if "<" in text or ">" in text or "&" in text:
                    return None
                add_text(text)
            start, attributes, end, reference = pieces[index + 1 : index + 5]
            if start is not None:
                pairs = (
                    [
                        (found[1].lower(), None if found[2] is None else html.unescape(found[2]))
                        for found in _ATTRIBUTE.finditer(attributes)
                    ]
                    if attributes
                    else []
                )
                start_tag(start.lower(), pairs)
            elif end is not None:
                end_tag(end.lower())
            elif reference[0] == "#":
                builder.handle_charref(reference[1:])
            else:
                builder.handle_entityref(reference)
    except _Abort:
        return None
    tail = pieces[-1]
    if _MARKUP.search(tail) or builder.stack:
        return None
    if tail:
        builder.add_text(tail)
    entities = sorted(builder.entities, key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(builder.parts), entities)


def parse_html(source: str) -> ParsedText:
    """Parse text in Telegram's HTML parse mode.

    Args:
        source: the text as the bot sent it with ``parse_mode=HTML``.

    Returns:
        The plain text and its entities (offsets in UTF-16 code units).

    Raises:
        ApiError: 400 "Bad Request: can't parse entities: ..." as Telegram answers.
    """
    parsed = _parse_well_formed(source)
    return parsed if parsed is not None else parse_html_fully(source)


def parse_html_fully(source: str) -> ParsedText:
    """:func:`parse_html` with ``HTMLParser`` only: any markup, and Telegram's error words."""
    _check_ampersands(source)
    parser = _TelegramHtml(source)
    try:
        parser.feed(source)
        parser.close()
    except _Abort:
        pass
    if parser.error is None and parser.rawdata:
        # close() leaves an unterminated "<b" or "</b" in rawdata when it cannot parse it
        parser.error = 'Unsupported start tag "" at byte offset ' + str(
            len(source.encode("utf-8")) - len(parser.rawdata.encode("utf-8"))
        )
    if parser.error is None and parser.stack:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1].tag}"'
    if parser.error is not None:
        raise ApiError(400, f"Bad Request: can't parse entities: {parser.error}")
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(parser.parts), entities)
