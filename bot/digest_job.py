"""The per-minute digest job of ``newsbot run``: one pass a minute, by one instance at a time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bulk_send import pass_bot
from bot.digests import WORKERS, PassReport, Sender, run_due_pass, telegram_sender
from storage.leases import make_holder, run_under_lease

if TYPE_CHECKING:
    from bot.run import BackgroundJob
    from bot.settings import Settings

log = logging.getLogger(__name__)

PASS_LEASE = "digest-pass"  # the job lease (storage.leases) of the per-minute pass
# Renewed every 40 s while a pass runs (10,000 digests at 30 a second take ~6 minutes),
# so this only bounds how long a dead instance keeps the others from sending.
PASS_HOLD = timedelta(minutes=2)
# Passes start at second 1 of each minute: 50 s lets clocks of instances differ by ~10 s
# and still keeps a second pass out of the same minute.
PASS_MIN_GAP = timedelta(seconds=50)


def seconds_to_next_minute(now: datetime) -> float:
    """Seconds from ``now`` to a second past the next minute (the notice job uses it too)."""
    # A second past the minute: a 09:00 digest goes out at 09:00:01, not 08:59:59.
    return 61.0 - now.second - now.microsecond / 1_000_000


def digest_job(settings: Settings) -> BackgroundJob:
    """The ``newsbot run`` background job: a pass at the start of every minute, forever.

    Digests go through a Bot of their own (its own connection pool, no retrying rate
    limiter: a pass handles 429s itself), within the send budget the replies use (shared
    with the bot's other processes on PostgreSQL or Redis: ``bot.limits``).
    With several instances only the holder of the ``digest-pass`` lease runs a minute's
    pass (see ``run_every_minute``).
    """

    async def send_digests(app: Any) -> None:
        from bot.app import limits_of

        token = settings.bot_token.get_secret_value() if settings.bot_token else ""
        bot = pass_bot(token, settings.telegram_api_base_url, WORKERS)
        async with bot:
            await run_every_minute(
                app.bot_data.sessions,
                telegram_sender(bot),
                default_zone=settings.timezone,
                default_language=settings.default_language,
                budget=limits_of(app).budget,
            )

    return send_digests


async def run_every_minute(
    sessions: async_sessionmaker[AsyncSession],
    send: Sender,
    *,
    default_zone: str,
    default_language: str,
    holder: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    wait: Callable[[float], Awaitable[None]] = asyncio.sleep,
    hold: timedelta = PASS_HOLD,
    min_gap: timedelta = PASS_MIN_GAP,
    renew_every: float | None = None,
    on_pass: Callable[[PassReport], None] | None = None,
    **options: Any,
) -> None:
    """Each minute, run a pass if this instance takes the ``digest-pass`` lease; forever.

    Only the lease's holder runs a pass, so one instance at a time sends digests and the
    process's send budget is the bot's whole budget for them. The lease is renewed while
    the pass runs and released at its end; ``min_gap`` keeps a second instance from a
    second pass in the same minute. If the holder dies, its lease runs out after ``hold``
    and another instance takes over at the next minute (deliveries it left half-sent are
    claimed again once their own lease runs out). A failed pass, or a database that
    cannot give the lease, is logged and tried again next minute.

    Args:
        sessions: The store.
        send: Sends one digest (``telegram_sender``).
        default_zone: The zone of chats that chose none.
        default_language: The language of chats that chose none.
        holder: This instance's id in the leases; a fresh one when None.
        clock: The current time (tests move it).
        wait: Waits the given seconds, to the next minute (tests pass a fake one).
        hold: How long the lease lasts without renewal.
        min_gap: The least time between the starts of two passes by any instances.
        renew_every: Seconds between renewals; a third of ``hold`` when None.
        on_pass: Called with the report of each pass this instance ran.
        **options: Passed on to ``DigestPass``.
    """
    holder = holder or make_holder()
    while True:
        now = clock()

        async def one_pass(now: datetime = now) -> PassReport:
            return await run_due_pass(
                sessions,
                send,
                now,
                default_zone=default_zone,
                default_language=default_language,
                **options,
            )

        try:
            taken, report = await run_under_lease(
                sessions,
                PASS_LEASE,
                holder,
                one_pass,
                clock=clock,
                hold=hold,
                min_gap=min_gap,
                renew_every=renew_every,
            )
            if report is not None:
                if report.claimed:
                    log.info("%s", report.summary())
                if on_pass is not None:
                    on_pass(report)
            elif taken:
                log.warning("digest pass stopped: another instance took its lease")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("digest pass failed; trying again next minute")
        await wait(seconds_to_next_minute(clock()))
