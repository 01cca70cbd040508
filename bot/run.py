"""``newsbot run``: the bot with BOT_TOKEN, by long polling or (``--webhook``) by webhook.

Both modes share the start and the stop: the Application and its services, the background
jobs, and the HTTP server for ``/healthz`` and ``/metrics`` (always in webhook mode, where
it also takes Telegram's POSTs; in polling mode only when PORT is set).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot.app import BotApplication, build_application
from bot.heap import freeze_long_lived, thaw
from bot.logsafe import protect_secret
from bot.metrics import ERRORS, FETCHES
from bot.settings import Settings
from handlers.errors import record_failure

if TYPE_CHECKING:
    from aiohttp.web import AppRunner

    from sources.catalog import SourceSpec
    from sources.fetcher import SourceReport

log = logging.getLogger(__name__)

# A long-running job started once the bot takes updates and cancelled when it stops. It
# gets the running Application; its services (store, index) are open by then.
BackgroundJob = Callable[[BotApplication], Coroutine[Any, Any, None]]


async def warm_index(app: BotApplication) -> None:
    """Index the stored stories right after start, not on the first question; then keep
    the collector off the objects made so far (``bot.heap``): they live as long as the bot.
    ``run_bot`` thaws them when it stops."""
    # The search engine's modules (numpy under them) take a while to import: in a worker
    # thread, the event loop meanwhile sends the first getUpdates and answers updates.
    await asyncio.to_thread(importlib.import_module, "services.story_index")
    added = await app.bot_data.index.refresh()
    log.info("search index ready: %d stories", added)
    freeze_long_lived()


async def _logged(job: BackgroundJob, app: BotApplication) -> None:
    """Run a background job; a failure is logged at once, and the bot keeps answering."""
    try:
        await job(app)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        name = getattr(job, "__name__", "job")
        log.exception("background job %s failed", name)
        # Counted for Prometheus and stored for the admin's /stats, as a handler's failure is.
        ERRORS.labels(kind=type(exc).__name__, place=f"job:{name}").inc()
        await record_failure(app.bot_data, type(exc).__name__, f"job:{name}")


# How long a stopping bot waits for its background jobs to end (a pass under way finishes
# the sends it started and marks them) before it goes on stopping without them.
JOB_STOP_GRACE = 20.0


class RunError(Exception):
    """The bot cannot start; the message is one line for stderr."""


def _fetch_job(catalog: list[SourceSpec]) -> BackgroundJob:
    """A background job fetching ``catalog`` on schedule into the bot's store."""

    async def fetch_sources(app: BotApplication) -> None:
        from bot.notice_kinds import wake_notices
        from sources.schedule import run_schedule

        def on_report(report: SourceReport) -> None:
            _count_fetch(report)
            wake_notices(app)  # new rates or stories: the notice kinds look at once

        stop = asyncio.Event()  # never set: shutdown cancels this job, which ends the schedule
        await run_schedule(catalog, app.bot_data.sessions, stop=stop, on_report=on_report)

    return fetch_sources


def _count_fetch(report: SourceReport) -> None:
    FETCHES.labels(source=report.name, outcome=report.outcome).inc()


def _background_jobs(settings: Settings) -> list[BackgroundJob]:
    """The jobs ``newsbot run`` starts beside polling; the sources file is read up front
    so a broken one stops the start with one line instead of failing later."""
    jobs: list[BackgroundJob] = []
    if settings.send_digests:
        from bot.digest_job import digest_job
        from bot.notice_job import notice_job

        # Notices (bot.notices) are scheduled messages too: SEND_DIGESTS=false stops both.
        jobs += [digest_job(settings), notice_job(settings)]
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


def _webhook_secret(settings: Settings) -> str:
    """The webhook's secret, once WEBHOOK_URL and WEBHOOK_SECRET are known to be set."""
    if settings.webhook_url is None:
        raise RunError(
            "WEBHOOK_URL is not set: --webhook needs the public URL Telegram posts to, "
            "e.g. https://bot.example.com/tg/updates"
        )
    if settings.webhook_secret is None:
        raise RunError(
            "WEBHOOK_SECRET is not set: --webhook needs 1-256 characters of A-Z, a-z, 0-9, _ -"
        )
    secret = settings.webhook_secret.get_secret_value()
    protect_secret(secret)
    return secret


async def _serve_http(app: BotApplication, settings: Settings, secret: str | None) -> AppRunner:
    """Listen on HOST:PORT: monitoring routes, and the webhook path when ``secret`` is set."""
    # Imported here: polling without PORT does not load aiohttp at all.
    from bot.app import limits_of
    from bot.web import WebhookRoute, make_web_app, start_web

    route = None
    if secret is not None:
        record = limits_of(app).updates.first_time
        route = WebhookRoute(settings.webhook_path, secret, app, first_time=record)
    web_app = make_web_app(app.bot_data.sessions, webhook=route)
    address = f"{settings.host}:{settings.listen_port}"
    try:
        runner = await start_web(web_app, settings.host, settings.listen_port)
    except OSError as exc:
        raise RunError(f"PORT: cannot listen on {address}: {exc.strerror or exc}") from None
    log.info("serving /healthz and /metrics on %s", address)
    return runner


async def _receive_updates(
    app: BotApplication, settings: Settings, secret: str | None
) -> AppRunner | None:
    """Start the Application and the way updates come in; return the web server, if any.

    Polling starts the updater first (as PTB's run_polling does). A webhook needs the
    server listening before setWebhook, so Telegram's first POST finds it.
    """
    if secret is None:
        assert app.updater is not None  # built with the default updater
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await app.start()
        runner = None if settings.port is None else await _serve_http(app, settings, None)
        log.info("polling as @%s", app.bot.username)
        return runner
    await app.start()
    runner = await _serve_http(app, settings, secret)
    try:
        await app.bot.set_webhook(
            url=str(settings.webhook_url), secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
    except TelegramError as exc:
        await runner.cleanup()
        if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            raise RunError(f"cannot reach TELEGRAM_API_BASE_URL: {exc}") from None
        raise RunError(f"WEBHOOK_URL: Telegram refused setWebhook: {exc}") from None
    log.info("webhook set as @%s", app.bot.username)
    return runner


async def run_bot(
    settings: Settings, stop: asyncio.Event | None = None, *, webhook: bool = False
) -> None:
    """Answer updates until ``stop`` is set (or SIGINT/SIGTERM): by polling, or by webhook.

    The webhook is left set on stop: other instances behind the same URL keep serving.

    Raises:
        RunError: BOT_TOKEN (or, with ``webhook``, WEBHOOK_URL or WEBHOOK_SECRET) is
            missing, Telegram rejects it, the API cannot be reached, or PORT is taken.
        StoreUnavailable: the database cannot be opened.
    """
    if settings.bot_token is None:
        raise RunError("BOT_TOKEN is not set; try the bot without Telegram with `newsbot chat`")
    secret = _webhook_secret(settings) if webhook else None
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
    runner: AppRunner | None = None
    started = False
    try:
        if app.post_init is not None:
            await app.post_init(app)
        started = True
        runner = await _receive_updates(app, settings, secret)
        jobs = [asyncio.create_task(_logged(job, app)) for job in (warm_index, *background)]
        await stop.wait()
    finally:
        # The server first: no update may arrive once the Application stops taking them.
        if runner is not None:
            await runner.cleanup()
        for task in jobs:
            task.cancel()
        if jobs:
            _ended, stuck = await asyncio.wait(jobs, timeout=JOB_STOP_GRACE)
            for task in stuck:
                # A job that let its cancellation pass (it is caught in clean-up code under
                # way) must not keep the bot from stopping: it is cancelled once more and
                # left to asyncio.run's own clean-up, which cancels it again and waits for
                # it without a limit (a job that swallows every cancellation still holds
                # the process there).
                log.error("a background job did not stop within %.0f s", JOB_STOP_GRACE)
                task.cancel()
        thaw()  # warm_index froze the bot's objects: they may be collected once it is gone
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if started and app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
