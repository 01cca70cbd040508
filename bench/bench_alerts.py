"""How fast rate alerts are decided and sent after one new day of rates.

Run: ``.venv/bin/python bench/bench_alerts.py [--alerts N] [--send-only-first M]
[postgresql://postgres@127.0.0.1:5432/test]`` (default 10,000 alerts, a temporary SQLite
file; with a PostgreSQL URL, a scratch database beside the named one, dropped after).

The store holds N alerts over 20 currency pairs, one alert per chat, each set on the
first day's rates with a level 0.1-2 % away on either side; then a second day of rates
moves every currency by up to 1 % either way, so a share of the alerts cross.

- decide: one check of every alert against the new day (``services.alert_checks``), in
  one transaction: the crossings found and queued as notices. The baseline of the same run
  is the check a minute later, with no new rate, which is what ``newsbot run`` pays every
  minute.
- send: one notice pass of the alert kind against the emulator answering 429 to more than
  30 sends a second (as Telegram does), within the process's send budget. Prints the time
  against the floor of fired / 30 seconds (target: at most 1.05 times the floor).

Prints figures and ratios, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert
from telegram import Bot

from bench.scratch_db import scratch_postgres
from bot.alerts import alert_kind
from bot.bulk_send import telegram_sender
from bot.notices import run_notice_pass
from bot.send_budget import TELEGRAM_PER_SECOND, SendBudget
from bot.settings import load_settings, to_async_url
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from core.exchange import Conversion
from core.types import RateQuote
from services.alert_checks import check_alerts
from services.alerts import pair_rate
from storage.database import make_engine, make_sessionmaker, upgrade_database
from storage.models import AlertRow, ChatRow
from storage.rates import add_rates, list_current_rates

DAY1, DAY2 = date(2026, 11, 26), date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
RATES = {
    "KZT": ("472.31", "nbk"),
    "KGS": ("87.45", "nbkr"),
    "UZS": ("12195.07", "cbu"),
    "TJS": ("10.92", "nbt"),
    "RUB": ("78.50", "cbr"),
    "EUR": ("0.8612", "nbk"),
    "CNY": ("7.1050", "nbk"),
}
PAIRS = [
    *(("USD", c) for c in ("KZT", "KGS", "UZS", "TJS", "RUB", "EUR", "CNY")),
    *(("EUR", c) for c in ("KZT", "RUB", "UZS", "KGS")),
    ("RUB", "KZT"), ("KGS", "UZS"), ("KZT", "KGS"), ("KZT", "UZS"), ("CNY", "KZT"),
    ("RUB", "UZS"), ("TJS", "UZS"), ("KGS", "KZT"), ("RUB", "KGS"),
]  # fmt: skip


def _day(day: date, rng: random.Random | None) -> list[RateQuote]:
    quotes = []
    for code, (figure, source) in RATES.items():
        value = Decimal(figure)
        if rng is not None:
            value = (value * Decimal(1 + rng.uniform(-0.01, 0.01))).quantize(value)
        quotes.append(RateQuote(code, value, None, day, source))
    return quotes


async def _fill(url: str, count: int, emu: BotApiEmulator) -> None:
    engine = make_engine(to_async_url(url))
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    rng = random.Random(21)
    async with sessions() as session, session.begin():
        await add_rates(session, _day(DAY1, None))
        current = await list_current_rates(session, DAY1)
    chats, alerts = [], []
    for number in range(count):
        chat_id = 20_000_000 + number
        emu.private_chat(emu.user(chat_id, f"Trader {number}"))
        base, quote = PAIRS[number % len(PAIRS)]
        rate = pair_rate(current, base, quote)
        assert isinstance(rate, Conversion)  # every pair's currencies are stored
        up = rng.random() < 0.5
        away = Decimal(1 + rng.uniform(0.001, 0.02) * (1 if up else -1))
        chats.append(
            {"id": chat_id, "kind": "private", "language": rng.choice(["en", "ru", "kk", "uz"])}
        )
        alerts.append(
            {"chat_id": chat_id, "base": base, "quote": quote,
             "direction": "above" if up else "below", "level": rate.rate * away,
             "armed": True, "set_rate": rate.rate, "set_as_of": DAY1,
             "seen_as_of": DAY1, "fired": 0, "created": NOW - timedelta(days=1)}
        )  # fmt: skip
    async with sessions() as session, session.begin():
        for start in range(0, count, 2000):
            await session.execute(insert(ChatRow), chats[start : start + 2000])
            await session.execute(insert(AlertRow), alerts[start : start + 2000])
        await add_rates(session, _day(DAY2, rng))
    await engine.dispose()


async def run(url: str, count: int) -> None:
    """Fill a store, decide, send; print the numbers."""
    emu = BotApiEmulator()
    await _fill(url, count, emu)
    engine = make_engine(to_async_url(url))
    sessions = make_sessionmaker(engine)
    started = time.perf_counter()
    report = await check_alerts(sessions, now=NOW, today=DAY2)
    decide = time.perf_counter() - started
    started = time.perf_counter()
    idle = await check_alerts(sessions, now=NOW + timedelta(minutes=1), today=DAY2)
    baseline = time.perf_counter() - started
    print(f"  decide: {report.summary()}")
    print(
        f"  decide: {decide:.2f} s for {count} alerts = {decide / count * 1e6:.0f} µs an alert; "
        f"the idle check a minute later (no new rate, read {idle.alerts} alerts): "
        f"{baseline * 1000:.1f} ms; decide / idle = {decide / max(baseline, 1e-6):.0f}x"
    )
    emu.limit_rate(TELEGRAM_PER_SECOND)
    kind = alert_kind(load_settings(database_url=url))
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        started = time.perf_counter()
        sent = await run_notice_pass(
            sessions, kind, telegram_sender(bot), NOW, default_language="en",
            default_zone="Asia/Almaty", budget=SendBudget(),
        )  # fmt: skip
        elapsed = time.perf_counter() - started
    await engine.dispose()
    floor = max(sent.sent, 1) / TELEGRAM_PER_SECOND
    print(f"  send: {sent.summary()}")
    print(
        f"  send at {TELEGRAM_PER_SECOND}/s: {elapsed:.1f} s for {sent.messages} messages "
        f"against a floor of {floor:.1f} s = {elapsed / floor:.3f}x the floor (target <= "
        f"1.05); 429s drawn: {emu.flood_refusals}"
    )


async def _on_scratch(admin_url: str, count: int) -> None:
    async with scratch_postgres(admin_url, "alerts") as url:
        await run(url, count)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000, help="alerts (default 10000)")
    parser.add_argument("database", nargs="?", help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    if args.database:
        print(f"{args.alerts} alerts over {len(PAIRS)} pairs, PostgreSQL:")
        asyncio.run(_on_scratch(args.database, args.alerts))
        return
    with tempfile.TemporaryDirectory() as folder:
        print(f"{args.alerts} alerts over {len(PAIRS)} pairs, SQLite:")
        asyncio.run(run(f"sqlite:///{Path(folder) / 'alerts.db'}", args.alerts))


if __name__ == "__main__":
    main()
