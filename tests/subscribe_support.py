"""Helpers of the subscription and settings tests: a running bot and what the store holds."""

from __future__ import annotations

from datetime import datetime

from bot_api_emulator import BotMessage
from storage.chats import ChatPrefs, get_chat
from storage.subscriptions import Subscription, get_subscription
from tests.bot_bench import Bench


async def stored(bench: Bench, chat_id: int) -> Subscription | None:
    """The chat's subscription as the store has it now."""
    async with bench.sessions() as session:
        return await get_subscription(session, chat_id)


async def stored_chat(bench: Bench, chat_id: int) -> ChatPrefs | None:
    """The chat's preferences as the store has it now."""
    async with bench.sessions() as session:
        return await get_chat(session, chat_id)


def pin_clock(bench: Bench, now: str) -> datetime:
    """Make the bot's "now" an ISO moment (with its offset)."""
    moment = datetime.fromisoformat(now)
    bench.app.bot_data.clock = lambda: moment
    return moment


def callback_data_of(message: BotMessage) -> list[str]:
    """The callback data of every button under a message."""
    return [b.callback_data for b in message.flat_buttons if b.callback_data is not None]
