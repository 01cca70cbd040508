"""The body of ``GET /healthz``: is the database there, how old are rates and stories."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.health import StoreHealth, get_store_health

log = logging.getLogger(__name__)

# A hung database must answer 503 within a load balancer's probe timeout, not hang it.
HEALTH_TIMEOUT = 3.0


@dataclass(frozen=True, slots=True)
class Health:
    """One health check: ``ok`` decides 200 or 503, ``body`` is the JSON."""

    ok: bool
    body: dict[str, Any]


def _age(then: datetime | None, now: datetime) -> float | None:
    return None if then is None else round((now - then).total_seconds(), 1)


def _report(store: StoreHealth | None, now: datetime) -> Health:
    if store is None:
        body: dict[str, Any] = {
            "ok": False,
            "database": False,
            "rates_age_seconds": None,
            "stories_age_seconds": None,
            "pending_deliveries": None,
        }
        return Health(False, body)
    body = {
        "ok": True,
        "database": True,
        "rates_age_seconds": _age(store.newest_rate, now),
        "stories_age_seconds": _age(store.newest_story, now),
        "pending_deliveries": store.pending_deliveries,
    }
    return Health(True, body)


async def _read(sessions: async_sessionmaker[AsyncSession]) -> StoreHealth:
    async with sessions() as session:
        return await get_store_health(session)


async def check_health(
    sessions: async_sessionmaker[AsyncSession],
    *,
    timeout: float = HEALTH_TIMEOUT,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Health:
    """Read the store's health; a database that fails or takes over ``timeout`` is down.

    Ages are in seconds before ``clock()``; stale data is reported, not judged: only an
    unreachable database makes the check fail (a load balancer then routes elsewhere).
    """
    try:
        store = await asyncio.wait_for(_read(sessions), timeout)
    except TimeoutError:
        log.warning("health check: the database did not answer within %.1f s", timeout)
        store = None
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        log.warning("health check: the database cannot be reached: %s", reason)
        store = None
    return _report(store, clock())
