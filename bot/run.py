"""``newsbot run``: long polling against the Bot API with BOT_TOKEN."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import BotApplication, build_application
from bot.settings import Settings

if TYPE_CHECKING:
    from sources.catalog import SourceSpec

log = logging.getLogger(__name__)

BackgroundJob = Callable[[BotApplication], Coroutine[Any, Any, None]]

# Long-running jobs started once the bot is polling and cancelled when it stops
# (the live-source fetch schedule goes here). Each gets the running Application;
# its services (store, index) are open by then.
BACKGROUND_JOBS: list[BackgroundJob] = []


async def _warm_index(app: BotApplication) -> None:
    """Index the stored stories right after start, not on the first question."""
    # The search engine's modules (numpy under them) take a while to import: in a worker
    # thread, the event loop meanwhile sends the first getUpdates and answers updates.
    await asyncio.to_thread(importlib.import_module, "storage.story_index")
    added = await app.bot_data.index.refresh()
    log.info("search index ready: %d stories", added)


async def _logged(job: BackgroundJob, app: BotApplication) -> None:
    """Run a background job; a failure is logged at once, and the bot keeps answering."""
    try:
        await job(app)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("background job %s failed", getattr(job, "__name__", job))


class RunError(Exception):
    """The bot cannot start; the message is one line for stderr."""


def _fetch_job(catalog: list[SourceSpec]) -> BackgroundJob:
    """A background job fetching ``catalog`` on schedule into the bot's store."""

    async def fetch_sources(app: BotApplication) -> None:
        from sources.schedule import run_schedule

        stop = asyncio.Event()  # never set: shutdown cancels this job, which ends the schedule
        await run_schedule(catalog, app.bot_data.sessions, stop=stop)

    return fetch_sources


def _background_jobs(settings: Settings) -> list[BackgroundJob]:
    """The jobs ``newsbot run`` starts beside polling; the sources file is read up front
    so a broken one stops the start with one line instead of failing later."""
    jobs = list(BACKGROUND_JOBS)
    if settings.send_digests:
        from bot.digests import digest_job

        jobs.append(digest_job(settings))
    if not settings.fetch_sources:
        return jobs
    # Imported only when sources are fetched: the fetchers are not needed to start polling.
    from sources.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog(settings.sources_file)
    except CatalogError as exc:
        raise RunError(f"SOURCES_FILE: {exc}") from None
    return [*jobs, _fetch_job(catalog)]


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not available off the main thread or on some platforms: Ctrl-C still ends asyncio.run.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)


async def run_bot(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Poll for updates and answer them until ``stop`` is set (or SIGINT/SIGTERM).

    Raises:
        RunError: BOT_TOKEN is missing, Telegram rejects it, or the API cannot be reached.
        StoreUnavailable: the database cannot be opened.
    """
    if settings.bot_token is None:
        raise RunError("BOT_TOKEN is not set; try the bot without Telegram with `newsbot chat`")
    if settings.log_level != "DEBUG":
        # httpx logs every long poll at INFO: noise, and (redacted) URLs.
        logging.getLogger("httpx").setLevel(logging.WARNING)
    if stop is None:
        stop = asyncio.Event()
        _stop_on_signals(stop)
    background = _background_jobs(settings)
    app = build_application(settings)
    try:
        await app.initialize()  # getMe: a bad token fails here
    except InvalidToken:
        raise RunError("BOT_TOKEN was rejected by Telegram (getMe: Unauthorized)") from None
    except NetworkError as exc:
        raise RunError(f"cannot reach TELEGRAM_API_BASE_URL: {exc}") from None
    jobs: list[asyncio.Task[None]] = []
    started = False
    try:
        if app.post_init is not None:
            await app.post_init(app)
        started = True
        assert app.updater is not None  # built with the default updater
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await app.start()
        jobs = [asyncio.create_task(_logged(job, app)) for job in (_warm_index, *background)]
        log.info("polling as @%s", app.bot.username)
        await stop.wait()
    finally:
        for task in jobs:
            task.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if started and app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
