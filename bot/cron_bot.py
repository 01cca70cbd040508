"""The Bot of one cron round (``newsbot <kind> run-due``): checked, light, closed after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import InvalidToken, NetworkError
from telegram.request import HTTPXRequest

from bot.cli_commands import CommandError
from bot.logsafe import protect_secret
from bot.settings import Settings


def round_token(settings: Settings, what: str) -> str:
    """The bot token a round sends ``what`` with, kept out of every log line.

    Raises:
        CommandError: BOT_TOKEN is not set.
    """
    if settings.bot_token is None:
        raise CommandError(f"BOT_TOKEN is not set; {what} are sent through Telegram")
    token = settings.bot_token.get_secret_value()
    protect_secret(token)
    return token


def round_moment(now: datetime | None, settings: Settings) -> datetime:
    """The moment of a round: ``--now`` (a naive one read in ``TIMEZONE``), else now."""
    moment = now or datetime.now(UTC)
    return (
        moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(settings.timezone))
    )


@asynccontextmanager
async def cron_bot(settings: Settings, token: str) -> AsyncIterator[Bot]:
    """Yield a Bot whose token Telegram accepted (getMe); shut it down after.

    One HTTP client serves every call: a round never asks for updates, and PTB's second
    client (for getUpdates) would cost another TLS context, tens of milliseconds of a
    start that cron pays on every run.

    Raises:
        CommandError: Telegram rejected the token, or cannot be reached.
    """
    request = HTTPXRequest()
    bot = Bot(
        token,
        base_url=settings.telegram_api_base_url,
        request=request,
        get_updates_request=request,
    )
    try:
        await bot.initialize()  # getMe: a bad token fails here, before anything is claimed
    except InvalidToken:
        raise CommandError("BOT_TOKEN was rejected by Telegram (getMe: Unauthorized)") from None
    except NetworkError as exc:
        raise CommandError(f"cannot reach TELEGRAM_API_BASE_URL: {exc}") from None
    try:
        yield bot
    finally:
        await bot.shutdown()
