"""How a chat with the bot looks in a terminal: formatted text, numbered buttons, photos."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from bot_api_emulator.messages import BotMessage, Button

_STYLES = {
    "bold": "bold",
    "italic": "italic",
    "underline": "underline",
    "strikethrough": "strike",
    "spoiler": "reverse",
    "code": "cyan",
    "pre": "cyan",
    "text_link": "underline blue",
    "blockquote": "dim italic",
    "expandable_blockquote": "dim italic",
}


def _python_index(text: str) -> dict[int, int]:
    """Map every UTF-16 offset in ``text`` to its Python string index."""
    mapping: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        mapping[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    mapping[units] = len(text)
    return mapping


def rich_text(text: str, entities: list[dict[str, Any]]) -> Text:
    """The message as rich Text: styles from the entities, each link followed by its URL."""
    index = _python_index(text)
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for entity in entities:
        start = index.get(int(entity["offset"]))
        end = index.get(int(entity["offset"]) + int(entity["length"]))
        if start is not None and end is not None:
            spans.append((start, end, entity))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = Text()
    for left, right in itertools.pairwise(cuts):
        active = [entity for start, end, entity in spans if start <= left and right <= end]
        style = " ".join(_STYLES.get(str(entity["type"]), "") for entity in active).strip()
        out.append(text[left:right], style=style or None)
        for start, end, entity in spans:
            if end == right and entity["type"] == "text_link" and start < end:
                out.append(f" ({entity['url']})", style="dim")
    return out


def _suffix(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".bin"


@dataclass(frozen=True, slots=True)
class ConsoleWords:
    """The console's own labels; ``newsbot chat --lang`` passes them in its language."""

    bot: str = "bot"
    bot_edited: str = "bot (edited)"
    photo_saved: str = "[photo saved to {path}]"
    no_results: str = "(no inline results)"
    results: str = "inline results"


class ChatConsole:
    """Prints bot messages and keeps the numbered choices the person can type."""

    def __init__(
        self, console: Console, photo_dir: Path, words: ConsoleWords | None = None
    ) -> None:
        self.console = console
        self.photo_dir = photo_dir
        self.words = words or ConsoleWords()
        self.choices: list[tuple[BotMessage, Button]] = []
        self.results: list[dict[str, Any]] = []

    def show_messages(self, messages: list[BotMessage]) -> None:
        """Print what the bot sent or edited; number the buttons of these messages."""
        numbered: list[tuple[BotMessage, Button]] = []
        for message in messages:
            label = self.words.bot_edited if message.edited else self.words.bot
            self.console.print(Text(f"{label} ›", style="bold green"))
            if message.photo is not None:
                path = self.save_photo(message)
                saved = self.words.photo_saved.format(path=path)
                self.console.print(Text(saved, style="magenta"))
            if message.text:
                self.console.print(rich_text(message.text, message.entities))
            for row in message.buttons:
                line = Text()
                for button in row:
                    numbered.append((message, button))
                    line.append(f" [{len(numbered)}] ", style="bold yellow")
                    line.append(button.text + (" ↗" if button.url else ""))
                self.console.print(line)
            self.console.print()
        if numbered:
            self.choices, self.results = numbered, []

    def show_results(self, results: list[dict[str, Any]]) -> None:
        """Print inline results numbered; typing a number then sends that result."""
        if not results:
            self.console.print(Text(self.words.no_results, style="dim"))
            return
        self.console.print(Text(f"{self.words.results} ›", style="bold green"))
        for number, result in enumerate(results, 1):
            line = Text(f" [{number}] ", style="bold yellow")
            line.append(str(result.get("title") or result.get("id")))
            if result.get("description"):
                line.append(f" — {result['description']}", style="dim")
            self.console.print(line)
        self.console.print()
        self.results, self.choices = results, []

    def note(self, text: str) -> None:
        """A line from the chat program itself (not from the bot)."""
        self.console.print(Text(text, style="dim"))

    def save_photo(self, message: BotMessage) -> Path:
        """Write a photo the bot sent to a file and return its path."""
        assert message.photo is not None
        self.photo_dir.mkdir(parents=True, exist_ok=True)
        name = f"chat{message.chat_id}-msg{message.message_id}"
        path = self.photo_dir / (name + _suffix(message.photo))
        counter = 1
        while path.exists():  # an edited photo keeps its message id; keep both versions
            counter += 1
            path = self.photo_dir / f"{name}-{counter}{_suffix(message.photo)}"
        path.write_bytes(message.photo)
        return path
