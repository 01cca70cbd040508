"""One cron round (``newsbot digest run-due``, ``newsbot <kind> run-due``): its token and
moment, a Bot checked, light and closed after, and the store and limits it runs within."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import InvalidToken, NetworkError
from telegram.request import HTTPXRequest

from bot.bulk_send import HtmlSender, telegram_sender
from bot.cli_commands import CommandError
from bot.limits import open_limits
from bot.logsafe import protect_secret
from bot.send_budget import Budget, SendBudget
from bot.settings import Settings
from bot.store import open_store


class Summarized(Protocol):
    """What a round reports: one line for the terminal."""

    def summary(self) -> str: ...


class RoundPass(Protocol):
    """One pass of a round at ``now`` (``bot.digests.run_due_pass``, a notice kind's)."""

    def __call__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: HtmlSender,
        now: datetime,
        *,
        default_language: str,
        default_zone: str,
        budget: Budget,
    ) -> Awaitable[Summarized]: ...


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


async def run_round(
    settings: Settings, what: str, now: datetime | None, one_pass: RoundPass
) -> int:
    """Run ``one_pass`` once at ``now`` (``--now``; default: now) through a cron Bot and
    print its summary; 0 (what Telegram answered single chats is in the summary and log).

    Args:
        settings: Token, store and defaults.
        what: What the round sends ("digests", "notices"), for the message of no token.
        now: The moment the round pretends it is.
        one_pass: The pass to run.

    Raises:
        CommandError: no token, or Telegram rejected it or cannot be reached.
    """
    token = round_token(settings, what)
    moment = round_moment(now, settings)
    # The budget and the claims of the running bot's processes: a round beside them shares
    # Telegram's limits with them, and takes only what nobody has claimed.
    async with (
        open_store(settings) as sessions,
        open_limits(settings, sessions, SendBudget()) as limits,
        cron_bot(settings, token) as bot,
    ):
        report = await one_pass(
            sessions,
            telegram_sender(bot),
            moment,
            default_language=settings.default_language,
            default_zone=settings.timezone,
            budget=limits.budget,
        )
    print(report.summary())
    return 0
