"""Helpers of the digest tests: subscribers, stories and a pass against the emulator."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.digests import PassReport, Sender, run_due_pass, telegram_sender
from bot.send_budget import SendBudget
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from core.types import RateQuote
from storage.models import ChatRow, DeliveryRow, StoryRow, SubscriptionRow
from storage.rates import add_rates

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


async def add_subscriber(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    *,
    local_time: str = "09:00",
    countries: str = "KZ,KG,UZ,TJ,TM",
    timezone: str | None = None,
    language: str | None = None,
    created: datetime = LONG_AGO,
    kind: str = "private",
) -> int:
    """Store a chat and its active subscription; return the subscription id."""
    async with sessions() as session, session.begin():
        session.add(ChatRow(id=chat_id, kind=kind, language=language, timezone=timezone))
        await session.flush()
        row = SubscriptionRow(
            chat_id=chat_id, local_time=local_time, countries=countries, created=created
        )
        session.add(row)
        await session.flush()
        return row.id


async def add_story(
    sessions: async_sessionmaker[AsyncSession],
    title: str,
    *,
    countries: str = "KZ",
    fetched: datetime,
    published: datetime | None = None,
    outlets: int = 1,
    url: str | None = None,
) -> None:
    """Store one story fetched at ``fetched``."""
    digest = hashlib.sha256(f"{title}|{fetched.isoformat()}|{url}".encode()).hexdigest()
    async with sessions() as session, session.begin():
        session.add(
            StoryRow(
                url=url,
                title=title,
                source="timesca",
                countries=countries,
                content_hash=digest,
                published=published or fetched,
                fetched=fetched,
                outlets=outlets,
            )
        )


async def add_usd_rates(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The five currencies of the region on one day."""
    day = datetime(2026, 11, 27).date()
    quotes = [
        RateQuote("KZT", Decimal("472.31"), Decimal("-2.78"), day, "nbk"),
        RateQuote("KGS", Decimal("87.45"), Decimal("0.10"), day, "nbkr"),
        RateQuote("UZS", Decimal("12195.07"), Decimal("15.5"), day, "cbu"),
        RateQuote("TJS", Decimal("10.92"), None, day, "nbt"),
        RateQuote("TMT", Decimal("3.5"), Decimal("0"), day, "cbt"),
    ]
    async with sessions() as session, session.begin():
        await add_rates(session, quotes)


def free_budget() -> SendBudget:
    """A budget that never waits: tests that are not about the limits run at full speed."""
    return SendBudget(per_second=0, per_chat_interval=0)


class FakeTime:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Move the clock instead of waiting."""
        self.slept.append(seconds)
        self.now += max(0.0, seconds)


async def no_sleep(_seconds: float) -> None:
    """Stand-in for asyncio.sleep when a test waits out a 429."""


async def run_pass(
    sessions: async_sessionmaker[AsyncSession],
    emu: BotApiEmulator,
    now: datetime,
    *,
    send: Sender | None = None,
    budget: SendBudget | None = None,
    zone: str = "Asia/Almaty",
    sleep: Callable[[float], Awaitable[None]] = no_sleep,
    **options: object,
) -> PassReport:
    """One pass at ``now`` through a PTB Bot on the emulator."""
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        return await run_due_pass(
            sessions,
            send or telegram_sender(bot),
            now,
            default_zone=zone,
            default_language="en",
            budget=budget or free_budget(),
            sleep=sleep,
            **options,
        )


async def delivery_rows(sessions: async_sessionmaker[AsyncSession]) -> list[DeliveryRow]:
    """Every delivery row, by id."""
    async with sessions() as session:
        return list(await session.scalars(select(DeliveryRow).order_by(DeliveryRow.id)))


def at(text: str) -> datetime:
    """An aware moment from ISO 8601 with an offset."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def days(n: float) -> timedelta:
    """``n`` days."""
    return timedelta(days=n)
