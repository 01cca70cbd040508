"""Telegram-safe HTML: escaping dynamic strings, measuring, splitting and truncating.

Telegram counts a message's length after parsing its entities: tags weigh nothing, an
entity such as ``&amp;`` weighs one character, and lengths are UTF-16 code units (an
emoji outside the Basic Multilingual Plane weighs two). The functions here measure
exactly that, so a text they accept is never rejected as too long.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final

MAX_MESSAGE: Final = 4096
MAX_CAPTION: Final = 1024
ELLIPSIS: Final = "…"

# A tag, an entity, a line break, a run of other whitespace, or a run of plain text.
_ATOM = re.compile(
    r"(?P<tag><(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)[^<>]*>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});)"
    r"|(?P<newline>\n)"
    r"|(?P<space>[^\S\n]+)"
    r"|(?P<text>[^<&\s]+|[<&])"
)


_TAG = re.compile(r"<[^<>]*>")


def escape(text: str) -> str:
    """Escape a dynamic string for Telegram's HTML parse mode (``& < >``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    """Escape a string for a double-quoted HTML attribute, such as a link's ``href``."""
    return escape(text).replace('"', "&quot;")


def link(url: str | None, label: str) -> str:
    """A link to ``url`` labelled with ``label`` (plain text), or just the label.

    Only http(s) addresses become links: anything else in a stored URL is not
    something a person should be sent to.
    """
    if url and url.lower().startswith(("http://", "https://")) and len(url) <= 2048:
        return f'<a href="{escape_attr(url)}">{escape(label)}</a>'
    return escape(label)


def _units(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class _Atom:
    source: str  # the atom as written in the HTML
    width: int  # its length after entity parsing
    kind: str  # tag, entity, newline, space or text
    name: str = ""  # tag name, lower-case
    closing: bool = False


def _atoms(markup: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for match in _ATOM.finditer(markup):
        kind = match.lastgroup or "text"
        source = match.group(0)
        if match.group("tag"):
            name = match.group("name").lower()
            atoms.append(_Atom(source, 0, "tag", name, bool(match.group("close"))))
        elif kind == "entity":
            atoms.append(_Atom(source, _units(html.unescape(source)), "entity"))
        else:
            atoms.append(_Atom(source, _units(source), kind))
    return atoms


def _shows_something(atoms: list[_Atom]) -> bool:
    # Telegram refuses a message of only tags and whitespace as "message text is empty".
    return any(atom.kind in ("text", "entity") for atom in atoms)


def visible_length(markup: str) -> int:
    """The length Telegram sees: tags removed, entities counted as one character."""
    return sum(atom.width for atom in _atoms(markup))


def _track(stack: list[_Atom], atom: _Atom) -> None:
    if atom.kind != "tag":
        return
    if not atom.closing:
        stack.append(atom)
        return
    for index in range(len(stack) - 1, -1, -1):
        if stack[index].name == atom.name:
            del stack[index]
            return


def _closers(stack: list[_Atom]) -> str:
    return "".join(f"</{atom.name}>" for atom in reversed(stack))


def _openers(stack: list[_Atom]) -> str:
    return "".join(atom.source for atom in stack)


def _hard_pieces(atom: _Atom, room: int, limit: int) -> list[_Atom]:
    """Cut a text atom wider than the room left into pieces that fit."""
    pieces: list[_Atom] = []
    piece, width, budget = "", 0, max(room, 1)
    for char in atom.source:
        size = _units(char)
        if width + size > budget and piece:
            pieces.append(_Atom(piece, width, "text"))
            piece, width, budget = "", 0, limit
        piece += char
        width += size
    if piece:
        pieces.append(_Atom(piece, width, "text"))
    return pieces


class _Splitter:
    """Fills chunks atom by atom, cutting at the last line break (else space) that fits."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[str] = []
        self.stack: list[_Atom] = []
        self._start_chunk([])

    def _start_chunk(self, reopen: list[_Atom]) -> None:
        self.parts: list[str] = [_openers(reopen)]
        self.width = 0
        # Where the chunk may be cut: (index in parts, width before it, open tags there).
        self.newline_cut: tuple[int, int, list[_Atom]] | None = None
        self.space_cut: tuple[int, int, list[_Atom]] | None = None

    def _finish(self, parts: list[str], stack: list[_Atom]) -> None:
        chunk = "".join(parts) + _closers(stack)
        if _shows_something(_atoms(chunk)):
            self.chunks.append(chunk)

    def _cut(self) -> bool:
        cut = self.newline_cut or self.space_cut
        if cut is None:
            if self.width == 0:
                return False
            self._finish(self.parts, self.stack)
            self._start_chunk(list(self.stack))
            return True
        index, _, stack = cut
        rest = self.parts[index + 1 :]  # the break itself is dropped
        self._finish(self.parts[:index], stack)
        self._start_chunk(stack)
        self.parts.extend(rest)
        self.width = sum(atom.width for atom in _atoms("".join(rest)))
        return True

    def add(self, atom: _Atom) -> None:
        while self.width + atom.width > self.limit:
            if atom.kind in ("space", "newline") and self.width > 0:
                # A break that does not fit is itself the cut.
                self._finish(self.parts, self.stack)
                self._start_chunk(list(self.stack))
                return
            if not self._cut():
                for piece in _hard_pieces(atom, self.limit - self.width, self.limit):
                    self.add(piece)
                return
        if atom.kind == "newline" and self.width > 0:
            self.newline_cut = (len(self.parts), self.width, list(self.stack))
        elif atom.kind == "space" and self.width > 0:
            self.space_cut = (len(self.parts), self.width, list(self.stack))
        self.parts.append(atom.source)
        self.width += atom.width
        _track(self.stack, atom)

    def close(self) -> list[str]:
        self._finish(self.parts, self.stack)
        return self.chunks


def split_html(markup: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` visible characters.

    Cuts at the last line break that fits, else at the last space, else inside a word;
    never inside a tag or an entity. Tags open at a cut are closed at the end of one
    part and opened again at the start of the next, so every part is valid on its own.
    Parts with nothing visible are dropped.

    Args:
        markup: Telegram HTML with every dynamic string escaped.
        limit: The most visible characters (UTF-16 units) per part.

    Returns:
        The parts in order; ``[]`` when nothing is visible.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if _units(markup) <= limit:
        # Markup is never shorter than what it shows: most replies end here, untokenized.
        return [markup] if _TAG.sub("", markup).strip() else []
    atoms = _atoms(markup)
    if sum(atom.width for atom in atoms) <= limit:
        return [markup] if _shows_something(atoms) else []
    splitter = _Splitter(limit)
    for atom in atoms:
        splitter.add(atom)
    return splitter.close()


def truncate_html(markup: str, limit: int = MAX_CAPTION) -> str:
    """Shorten Telegram HTML to at most ``limit`` visible characters, ending with "…".

    Keeps whole tags and entities, closes the tags left open. Text that already fits
    is returned unchanged.
    """
    atoms = _atoms(markup)
    if sum(atom.width for atom in atoms) <= limit:
        return markup
    budget = limit - _units(ELLIPSIS)
    parts: list[str] = []
    stack: list[_Atom] = []
    width = 0
    for atom in atoms:
        if atom.kind == "tag":
            parts.append(atom.source)
            _track(stack, atom)
            continue
        if width + atom.width > budget:
            if atom.kind == "text":
                for char in atom.source:
                    if width + _units(char) > budget:
                        break
                    parts.append(char)
                    width += _units(char)
            break
        parts.append(atom.source)
        width += atom.width
    return "".join(parts).rstrip() + ELLIPSIS + _closers(stack)
