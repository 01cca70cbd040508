"""A running bot for tests: the real Application on a test database, behind the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication, build_application, lift_flood_limit
from bot.demo import load_demo_if_empty
from bot.settings import load_settings
from bot_api_emulator import BotApiEmulator, BotMessage, ChatDriver, UserSpec
from handlers.flood import FloodLimiter
from storage.rates import list_current_rates

# The demo rates are dated 2026-11-25..27: "today" is pinned just after them.
TODAY = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
BOT = "CentralAsiaNewsBot"


@dataclass
class Bench:
    """Everything a test drives or inspects."""

    emu: BotApiEmulator
    app: BotApplication
    sessions: async_sessionmaker[AsyncSession]
    aida: UserSpec
    chat: ChatDriver

    async def current_rates(self) -> dict[str, object]:
        async with self.sessions() as session:
            return dict(await list_current_rates(session))


@asynccontextmanager
async def running_bot(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    *,
    demo: bool = True,
    token: str | None = None,
    language_code: str = "en",
    settings: dict[str, object] | None = None,
    flood: FloodLimiter | None = None,
) -> AsyncIterator[Bench]:
    """Serve the bot on the emulator with the demo data loaded (unless ``demo`` is False).

    ``settings`` overrides more settings by name, such as ``admin_ids=(1001,)``.
    ``flood`` replaces the flood limiter; by default it lets everything through, since
    tests send faster than any person (tests of flood control pass their own).
    """
    if demo:
        await load_demo_if_empty(sessions)
    overrides = {"database_url": database_url, "bot_token": token, **(settings or {})}
    config = load_settings(**overrides)
    emu = BotApiEmulator(bot_username=BOT, token=token)
    app = lift_flood_limit(build_application(config, request=emu.request()), flood)
    async with emu.serve(app):
        app.bot_data.clock = lambda: TODAY
        aida = emu.user(1001, first_name="Aida", language_code=language_code)
        yield Bench(emu, app, sessions, aida, emu.private_chat(aida))


def only(replies: list[BotMessage]) -> BotMessage:
    """The one reply a test expects."""
    assert len(replies) == 1, [m.text for m in replies]
    return replies[0]
