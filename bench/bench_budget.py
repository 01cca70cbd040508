"""The cost of the shared send budget per send, in the reply-throughput benchmark of bench_bot.

Run: ``.venv/bin/python -m bench.bench_budget [--updates 800] [--rounds 3]
[--redis redis://127.0.0.1:6379/15] [postgresql://postgres@127.0.0.1:5432/test]``.

``/rates`` answered per second by the real Application on the in-process emulator (16
people at once, bench_bot's texts, a SQLite store with the demo rates and 1,000 stories),
with the replies' send budget being, in turn:

- today's on one machine: the process's own (``bot.send_budget``), which only counts a reply;
- the shared budget in PostgreSQL (a scratch database beside the named one);
- the shared budget in Redis (with ``--redis``).

The shared budgets get limits no bench reaches (a million a second, a microsecond per
chat), so every send pays its round trip to the store and none waits for a slot. Prints
each rate, its ratio to the process budget measured in the same round, and the cost per
send in milliseconds (1/rate - 1/rate of the process budget). Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bench.bench_bot import answered_per_second, build_store, rates_texts
from bench.scratch_db import scratch_postgres
from bot.app import build_application, lift_flood_limit
from bot.redis_limits import RedisSlots, connect
from bot.retry import RetryingLimiter
from bot.send_budget import Budget, SendBudget
from bot.settings import load_settings, to_async_url
from bot.shared_budget import SharedBudget
from storage.database import make_engine, upgrade_database
from storage.shared_limits import ChatRule, PostgresSlots

NEVER_WAITS = {"per_second": 1_000_000, "rule_of": lambda chat: ChatRule(1e-6)}


def _with_budget(database_url: str, budget: Budget) -> Callable[[Any], Any]:
    """A make_app for answered_per_second: the bot, its replies asking ``budget``."""
    settings = load_settings(database_url=database_url, bot_token=None, log_level="WARNING")

    def make_app(emu: Any) -> Any:
        app = lift_flood_limit(build_application(settings, request=emu.request()))
        opened = app.post_init
        assert opened is not None

        async def post_init(application: Any) -> None:
            await opened(application)
            limiter = application.bot.rate_limiter
            assert isinstance(limiter, RetryingLimiter)
            limiter.budget = budget  # after the store opened and chose its own

        app.post_init = post_init
        return app

    return make_app


@asynccontextmanager
async def shared_budgets(admin_url: str, redis_url: str | None) -> AsyncIterator[dict[str, Any]]:
    """The budgets to compare, by label."""
    async with scratch_postgres(admin_url, "budget") as url:
        engine = make_engine(to_async_url(url))
        await upgrade_database(engine)
        budgets: dict[str, Any] = {
            "process (today)": SendBudget(),
            "PostgreSQL": SharedBudget(PostgresSlots(engine, "bench"), **NEVER_WAITS),
        }
        client = connect(redis_url) if redis_url else None
        if client is not None:
            budgets["Redis"] = SharedBudget(RedisSlots(client, "bench"), **NEVER_WAITS)
        try:
            yield budgets
        finally:
            if client is not None:
                await client.aclose()
            await engine.dispose()


async def main(admin_url: str, redis_url: str | None, updates: int, rounds: int) -> None:
    """Measure each budget ``rounds`` times, in turn, and print the medians."""
    logging.basicConfig(level=logging.WARNING)
    texts = rates_texts()
    with tempfile.TemporaryDirectory(prefix="bench-budget-") as folder:
        store = await build_store(Path(folder) / "1k.db", 1_000)
        async with shared_budgets(admin_url, redis_url) as budgets:
            rates: dict[str, list[float]] = {label: [] for label in budgets}
            for _ in range(rounds):
                for label, budget in budgets.items():
                    make_app = _with_budget(store, budget)
                    rates[label].append(await answered_per_second(make_app, texts, updates))
    base = rates["process (today)"]
    print(f"{'budget':16} {'/rates per s':>12} {'ratio':>6} {'ms per send':>12}")
    for label, measured in rates.items():
        ratio = statistics.median(m / b for m, b in zip(measured, base, strict=True))
        cost = statistics.median(1 / m - 1 / b for m, b in zip(measured, base, strict=True))
        print(f"{label:16} {statistics.median(measured):12.0f} {ratio:6.2f} {cost * 1000:12.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("database", nargs="?", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", help="also measure the budget in this Redis")
    parser.add_argument("--updates", type=int, default=800, help="timed updates per round")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each budget")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database, arguments.redis, arguments.updates, arguments.rounds))
