"""Helpers of the alert tests: bank rates on chosen days, and the stored alerts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.alerts import alert_kind
from bot.bulk_send import telegram_sender
from bot.notice_job import run_kind_once
from bot.notices import NoticeReport
from bot.settings import load_settings
from bot_api_emulator import DUMMY_TOKEN, BotMessage
from core.types import RateQuote
from storage.alerts import Alert, list_all_alerts
from storage.rates import add_rates
from tests.bot_bench import Bench
from tests.digest_support import free_budget, no_sleep

# The banks that are the authority for each currency (core.authority.HOME_BANK).
HOME = {"KZT": "nbk", "KGS": "nbkr", "UZS": "cbu", "TJS": "nbt", "RUB": "cbr"}


async def store_rates(
    sessions: async_sessionmaker[AsyncSession], day: date, **per_usd: str
) -> None:
    """Store the home bank's figure of each currency on ``day``: ``KZT="472.31"``."""
    quotes = [
        RateQuote(code, Decimal(value), None, day, HOME[code]) for code, value in per_usd.items()
    ]
    async with sessions() as session, session.begin():
        await add_rates(session, quotes)


async def stored_alerts(sessions: async_sessionmaker[AsyncSession]) -> list[Alert]:
    """Every stored alert."""
    async with sessions() as session:
        return await list_all_alerts(session)


async def run_alerts(bench: Bench, now: datetime) -> NoticeReport:
    """One round of the alert kind at ``now`` (check, then send) through the bench's
    emulator, never waiting for the send budget."""
    kind = alert_kind(load_settings(database_url="sqlite:///unused.db"))
    async with Bot(DUMMY_TOKEN, request=bench.emu.request()) as bot:
        return await run_kind_once(
            bench.sessions,
            kind,
            telegram_sender(bot),
            now,
            default_language="en",
            default_zone="Asia/Almaty",
            budget=free_budget(),
            sleep=no_sleep,
        )


def alert_messages(bench: Bench, chat_id: int) -> list[BotMessage]:
    """The fired alerts the bot sent to a chat, oldest first: the messages with both a
    chart and a delete button."""
    fired = []
    for message in bench.emu.messages_in(chat_id):
        data = [button.callback_data or "" for button in message.flat_buttons]
        if any(d.startswith("chart:") for d in data) and any(d.startswith("alert:") for d in data):
            fired.append(message)
    return fired
