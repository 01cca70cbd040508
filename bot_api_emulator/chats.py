"""A chat as a person sees it: send a message, press a button, type an inline query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot_api_emulator.content import formatted
from bot_api_emulator.messages import BotMessage, StoredMessage, buttons_of
from bot_api_emulator.updates import (
    UserSpec,
    callback_query_json,
    inline_query_json,
    text_entities,
)

if TYPE_CHECKING:
    from bot_api_emulator.emulator import BotApiEmulator


class ChatDriver:
    """One chat with the bot; each action returns what the bot sent or edited in it.

    Args:
        emulator: the emulator the chat lives in.
        chat: the Chat JSON.
        person: who acts when ``from_user`` is not given (None in groups).
    """

    def __init__(
        self, emulator: BotApiEmulator, chat: dict[str, Any], person: UserSpec | None
    ) -> None:
        self.emulator = emulator
        self.chat = chat
        self.person = person

    @property
    def id(self) -> int:
        """The chat id."""
        return int(self.chat["id"])

    def _sender(self, from_user: UserSpec | None) -> UserSpec:
        sender = from_user or self.person
        if sender is None:
            raise ValueError("a group message needs from_user=")
        self.emulator.state.add_user(sender.json())
        return sender

    async def _collect(self, update: dict[str, Any]) -> list[BotMessage]:
        start = len(self.emulator.outbox)
        await self.emulator.dispatch(update)
        return [m for m in self.emulator.outbox[start:] if m.chat_id == self.id]

    def person_message(
        self,
        text: str,
        from_user: UserSpec | None = None,
        *,
        reply_to: BotMessage | None = None,
        via_bot: bool = False,
    ) -> dict[str, Any]:
        """Store a message a person writes here and return its update JSON (not delivered)."""
        state = self.emulator.state
        data = state.new_message(self.chat, self._sender(from_user).json())
        data["text"] = text
        entities = text_entities(text)
        if entities:
            data["entities"] = entities
        if reply_to is not None:
            data["reply_to_message"] = state.message(
                self.id, reply_to.message_id, missing="message to be replied not found"
            ).data
        if via_bot:
            data["via_bot"] = state.bot
        state.store(StoredMessage(data))
        return {"update_id": self.emulator.next_update_id(), "message": data}

    async def send(
        self, text: str, from_user: UserSpec | None = None, *, reply_to: BotMessage | None = None
    ) -> list[BotMessage]:
        """A person sends ``text``; returns the messages the bot sent or edited in reply."""
        return await self._collect(self.person_message(text, from_user, reply_to=reply_to))

    async def dispatch_text(self, text: str, from_user: UserSpec | None = None) -> None:
        """A person sends ``text`` without waiting for the answer (for a bot that polls)."""
        await self.emulator.dispatch(self.person_message(text, from_user))

    async def press(
        self, message: BotMessage, which: str | int, from_user: UserSpec | None = None
    ) -> list[BotMessage]:
        """Press a callback button of ``message`` by text (exact or substring) or index.

        Raises:
            LookupError: no such button, or the message is gone.
            ValueError: the button is not a callback button (a link or an inline switch).
        """
        stored = self.emulator.state.messages.get((self.id, message.message_id))
        if stored is None:
            raise LookupError(f"message {message.message_id} is not in chat {self.id}")
        current = BotMessage(
            method="", chat_id=self.id, message_id=message.message_id, text="", html=""
        )
        current.buttons = buttons_of(stored.data)
        button = current.button(which)
        if button.callback_data is None:
            raise ValueError(f"button {button.text!r} is not a callback button")
        query_id = self.emulator.next_query_id()
        self.emulator.state.open_callbacks.add(query_id)
        query = callback_query_json(
            query_id, self._sender(from_user), stored.data, button.callback_data
        )
        return await self._collect(
            {"update_id": self.emulator.next_update_id(), "callback_query": query}
        )

    async def inline(
        self, query: str, from_user: UserSpec | None = None, *, offset: str = ""
    ) -> list[dict[str, Any]]:
        """Type ``@bot query`` in this chat; returns the results the bot answered with."""
        query_id = self.emulator.next_query_id()
        self.emulator.state.open_inline.add(query_id)
        chat_type = "sender" if self.chat["type"] == "private" else str(self.chat["type"])
        update = {
            "update_id": self.emulator.next_update_id(),
            "inline_query": inline_query_json(
                query_id, self._sender(from_user), query, chat_type, offset
            ),
        }
        await self.emulator.dispatch(update)
        return self.emulator.state.inline_answers.get(query_id, [])

    async def send_inline_result(
        self, result: dict[str, Any], from_user: UserSpec | None = None
    ) -> tuple[str, list[BotMessage]]:
        """Send a chosen inline result here, as Telegram does (a message ``via_bot``).

        Returns:
            The text the person's message shows, and what the bot replied to it (the bot
            sees the message with ``via_bot`` set, as in Telegram).
        """
        content = result.get("input_message_content") or {}
        text = str(content.get("message_text") or result.get("title") or "")
        if content.get("parse_mode") and content.get("message_text"):
            text = formatted(text, str(content["parse_mode"]), None).text
        update = self.person_message(text, from_user, via_bot=True)
        return text, await self._collect(update)
