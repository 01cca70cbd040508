"""The notice job of ``newsbot run``: a pass of every registered kind (``bot.notice_kinds``)
a second after each minute and right after each fetch, one instance per kind at a time.

For each kind a round runs its ``detect`` (new events become notices) and then a notice
pass (``bot.notices``), under the job lease ``notices:<kind>`` (``storage.leases``), so with
several instances one of them does a kind's round while the others skip it. The lease only
saves work: the claims alone already send each notice once, which is why
``newsbot <kind> run-due`` (``bot.notice_command``) may run beside the bot without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bulk_send import HtmlSender, pass_bot, telegram_sender
from bot.digest_job import seconds_to_next_minute
from bot.notice_kinds import NoticeKind, notice_kinds
from bot.notices import WORKERS, NoticeReport, run_notice_pass
from services.notice_pass import detect_notices, prune_old_notices
from storage.leases import make_holder, run_under_lease

if TYPE_CHECKING:
    from bot.run import BackgroundJob
    from bot.settings import Settings

log = logging.getLogger(__name__)

ROUND_HOLD = timedelta(minutes=2)  # renewed while a round runs; bounds a dead holder's wait
KEEP_NOTICES = timedelta(days=30)  # sent, failed and dropped rows are pruned after this
PRUNE_EVERY = timedelta(hours=1)


def lease_name(kind: NoticeKind) -> str:
    """The job lease of ``kind``'s rounds."""
    return f"notices:{kind.name}"


async def run_kind_once(
    sessions: async_sessionmaker[AsyncSession],
    kind: NoticeKind,
    send: HtmlSender,
    now: datetime,
    *,
    default_language: str,
    default_zone: str,
    **options: Any,
) -> NoticeReport:
    """One round of ``kind`` at ``now``: its ``detect`` in a transaction, then a pass."""
    if kind.detect is not None:
        added = await detect_notices(sessions, kind.detect, now)
        if added:
            log.info("%s: %d new notices", kind.name, added)
    return await run_notice_pass(
        sessions,
        kind,
        send,
        now,
        default_language=default_language,
        default_zone=default_zone,
        **options,
    )


def notice_job(settings: Settings) -> BackgroundJob:
    """The ``newsbot run`` background job delivering the kinds registered on the app.

    Notices go through a Bot of their own (its own connection pool; no retrying limiter: a
    pass handles 429s itself), within the send budget the replies use (``bot.limits``). With
    no kind registered the job ends at once.
    """

    async def send_notices(app: Any) -> None:
        from bot.app import limits_of

        registry = notice_kinds(app)
        if not registry.kinds:
            return
        token = settings.bot_token.get_secret_value() if settings.bot_token else ""
        bot = pass_bot(token, settings.telegram_api_base_url, WORKERS)
        async with bot:
            await run_notice_rounds(
                app.bot_data.sessions,
                list(registry.kinds.values()),
                telegram_sender(bot),
                default_language=settings.default_language,
                default_zone=settings.timezone,
                wake=registry.wake,
                budget=limits_of(app).budget,
            )

    return send_notices


async def run_notice_rounds(
    sessions: async_sessionmaker[AsyncSession],
    kinds: Sequence[NoticeKind],
    send: HtmlSender,
    *,
    default_language: str,
    default_zone: str,
    wake: asyncio.Event,
    holder: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    hold: timedelta = ROUND_HOLD,
    on_round: Callable[[NoticeReport], None] | None = None,
    **options: Any,
) -> None:
    """Forever: a round of each kind, then wait for the next minute or for ``wake``.

    Args:
        sessions: The store.
        kinds: The kinds to deliver.
        send: Sends one message (``bot.bulk_send.telegram_sender``).
        default_language: The language of chats that chose none.
        default_zone: The time zone of chats that chose none.
        wake: Set (after a fetch) to start the next rounds at once.
        holder: This instance's id in the leases; a fresh one when None.
        clock: The current time (tests move it).
        hold: How long a round's lease lasts without renewal.
        on_round: Called with the report of each round this instance ran.
        **options: Passed on to ``NoticePass`` (budget, workers, sleep...).
    """
    holder = holder or make_holder()
    next_prune = clock()
    while True:
        wake.clear()
        for kind in kinds:
            await _one_round(
                sessions,
                kind,
                send,
                holder,
                clock,
                hold,
                on_round,
                default_language=default_language,
                default_zone=default_zone,
                **options,
            )
        if clock() >= next_prune:
            next_prune = clock() + PRUNE_EVERY
            await _prune(sessions, clock() - KEEP_NOTICES)
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation that
        # comes just as ``wake`` is set, and this loop would then run on after the bot stops.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds_to_next_minute(clock())):
                await wake.wait()


async def _one_round(
    sessions: async_sessionmaker[AsyncSession],
    kind: NoticeKind,
    send: HtmlSender,
    holder: str,
    clock: Callable[[], datetime],
    hold: timedelta,
    on_round: Callable[[NoticeReport], None] | None,
    **options: Any,
) -> None:
    now = clock()

    async def job() -> NoticeReport:
        return await run_kind_once(sessions, kind, send, now, **options)

    try:
        # No gap between rounds: a round right after a fetch must not wait for the minute.
        _taken, report = await run_under_lease(
            sessions, lease_name(kind), holder, job, clock=clock, hold=hold, min_gap=timedelta(0)
        )
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("%s notices failed; trying again next minute", kind.name)
        return
    if report is not None:
        if report.claimed:
            log.info("%s", report.summary())
        if on_round is not None:
            on_round(report)


async def _prune(sessions: async_sessionmaker[AsyncSession], before: datetime) -> None:
    try:
        gone = await prune_old_notices(sessions, before)
    except Exception:
        log.exception("could not prune old notices")
        return
    if gone:
        log.info("pruned %d old notices", gone)
