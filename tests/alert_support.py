"""Helpers of the alert tests: bank rates on chosen days, and the stored alerts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import RateQuote
from storage.alerts import Alert, list_all_alerts
from storage.rates import add_rates

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
