"""Inline keyboards: callback buttons within Telegram's 64 bytes, keyboards that serialize once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_CALLBACK_BYTES = 64

Row = Sequence[InlineKeyboardButton]


def callback_data(data: str) -> str:
    """``data``, checked to fit Telegram's 64 bytes (``views.callbacks`` builds it).

    Raises:
        ValueError: ``data`` is empty or longer than 64 bytes in UTF-8.
    """
    if not 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data must be 1-64 bytes: {data!r}")
    return data


def button(text: str, data: str) -> InlineKeyboardButton:
    """A callback button; ``data`` must fit Telegram's 64 bytes.

    Raises:
        ValueError: ``data`` is empty or longer than 64 bytes in UTF-8.
    """
    return InlineKeyboardButton(text, callback_data=callback_data(data))


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that builds its JSON once.

    PTB freezes a keyboard when it is made, so its JSON cannot change; yet PTB rebuilds it
    for every message it goes under, which costs more than rendering the rates above it.
    Keyboards shared between replies (see ``handlers.money``) serialize once.
    """

    __slots__ = ("_json",)  # PTB lets "_" attributes be set on a frozen object

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The keyboard's JSON (a fresh top-level dict; callers only serialize it)."""
        if not recursive:
            return super().to_dict(recursive=False)
        cached: dict[str, Any] | None = getattr(self, "_json", None)
        if cached is None:
            cached = self._json = super().to_dict()
        return dict(cached)


def keyboard(*rows: Row) -> InlineKeyboardMarkup | None:
    """An inline keyboard of the non-empty rows, or None when there are none."""
    kept = [list(row) for row in rows if row]
    return Keyboard(kept) if kept else None
