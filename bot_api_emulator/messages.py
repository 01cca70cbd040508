"""What the bot sent, as a test or the chat REPL sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """One inline keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    switch_inline_query_current_chat: str | None = None


@dataclass
class StoredMessage:
    """A message as the fake Telegram keeps it: its JSON plus what JSON cannot carry."""

    data: dict[str, Any]
    html: str | None = None  # the text or caption exactly as the bot sent it
    photo: bytes | None = None
    keyboard: dict[str, Any] | None = None  # a reply keyboard (not part of the message JSON)


@dataclass
class BotMessage:
    """A message the bot sent or edited, in the state right after that call.

    ``text`` is what a person reads: the plain text, or the caption of a photo.
    """

    method: str
    chat_id: int
    message_id: int
    text: str
    html: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)
    photo: bytes | None = None
    caption: str | None = None
    edited: bool = False
    keyboard: dict[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def flat_buttons(self) -> list[Button]:
        """The buttons row by row, as pressing by index counts them."""
        return [button for row in self.buttons for button in row]

    def button(self, which: str | int) -> Button:
        """The button with this index (row-major), exact text, or text containing ``which``.

        Raises:
            LookupError: no such button; the message lists the buttons there are.
        """
        flat = self.flat_buttons
        if isinstance(which, int):
            if 0 <= which < len(flat):
                return flat[which]
        else:
            for match in (
                lambda b: b.text == which,
                lambda b: which.casefold() in b.text.casefold(),
            ):
                found = [button for button in flat if match(button)]
                if found:
                    return found[0]
        names = ", ".join(repr(button.text) for button in flat) or "none"
        raise LookupError(f"no button {which!r} in message {self.message_id}; buttons: {names}")


def buttons_of(data: dict[str, Any]) -> list[list[Button]]:
    """The inline keyboard of a message JSON as Button rows."""
    rows = (data.get("reply_markup") or {}).get("inline_keyboard") or []
    return [
        [
            Button(
                text=str(button.get("text", "")),
                callback_data=button.get("callback_data"),
                url=button.get("url"),
                switch_inline_query_current_chat=button.get("switch_inline_query_current_chat"),
            )
            for button in row
        ]
        for row in rows
    ]


def bot_message(method: str, stored: StoredMessage, *, edited: bool) -> BotMessage:
    """Snapshot a stored message as a BotMessage."""
    data = stored.data
    caption = data.get("caption")
    text = data.get("text", caption or "")
    return BotMessage(
        method=method,
        chat_id=int(data["chat"]["id"]),
        message_id=int(data["message_id"]),
        text=text,
        html=stored.html if stored.html is not None else text,
        entities=list(data.get("entities") or data.get("caption_entities") or []),
        buttons=buttons_of(data),
        photo=stored.photo,
        caption=caption,
        edited=edited,
        keyboard=stored.keyboard,
        data=data,
    )
