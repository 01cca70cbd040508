"""The Telegram Application: handlers, typed context, services opened and closed with it."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    BaseHandler,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.admin_fetch import AdminFetch
from bot.alerts import alert_kind
from bot.fair_processor import FairUpdateProcessor
from bot.limits import SharedLimits, open_limits
from bot.logsafe import protect_secret
from bot.notice_kinds import register_notice_kind
from bot.retry import RetryingLimiter
from bot.send_budget import Budget, SendBudget
from bot.settings import Settings
from bot.store import open_store
from bot.topic_notices import topic_kind
from bot.update_log import MEASURED_CONTEXT_TYPES, UpdateLoggingApplication
from handlers.alerts import cmd_alert, cmd_alerts, on_alert_delete_button
from handlers.chart import cmd_chart, on_chart_button
from handlers.chats import on_any_update
from handlers.context import BotContext, ChatState, Services
from handlers.country import cmd_country, on_country_button
from handlers.errors import on_error
from handlers.flood import FLOOD_GROUP, FloodGuard, FloodLimiter
from handlers.follow import (
    cmd_follow,
    cmd_following,
    cmd_unfollow,
    on_more_like_this,
    on_stop_button,
)
from handlers.free_text import on_private_text
from handlers.inline import on_inline_query
from handlers.menus import set_command_menus
from handlers.money import cmd_rates, on_convert_button
from handlers.news import cmd_news, on_more_about_country, on_news_page
from handlers.operator import cmd_fetch, cmd_stats
from handlers.prefs import (
    cmd_lang,
    cmd_settings,
    on_choice_button,
    on_digest_button,
    on_settings_button,
)
from handlers.rate_answer import cmd_convert_or_rate
from handlers.start import (
    cmd_help,
    cmd_start,
    on_menu_button,
    on_unknown_button,
    on_unknown_command,
)
from handlers.subscribe import cmd_subscribe, cmd_unsubscribe
from services.alerts import ChatAlerts
from services.chats import ChatService
from services.rates import Rates
from services.stats import Stats
from services.stories import Stories
from services.subscriptions import SubscriptionService
from services.topics import ChatTopics
from views import callbacks

# Only valid against the in-process emulator, which accepts any well-formed token.
EMULATOR_TOKEN = "123456:EMULATOR"
# Updates handled at once, the slots shared round-robin across chats (bot.fair_processor);
# answers in one chat may then interleave, which is fine for a bot whose every answer
# stands alone.
CONCURRENT_UPDATES = 16

BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], ChatState, Services, None]

_PRIVATE = filters.ChatType.PRIVATE
# New messages only: an edited "/rates" should not be answered twice.
_NEW = filters.UpdateType.MESSAGE


def _handlers(admin_ids: frozenset[int]) -> list[tuple[BaseHandler[Any, BotContext, Any], int]]:
    """Every handler with its group; within a group the first that matches wins."""
    # ADMIN_IDS in private chats; an empty filter lets nobody through.
    admins = filters.User(user_id=admin_ids) & _PRIVATE & _NEW
    return [
        # The lowest group runs first of all: a chat sending too much is stopped here,
        # before any other handler and before the database (see handlers.flood).
        (FloodGuard(), FLOOD_GROUP),
        # Group -1 runs next: load the chat's preferences, pick the language.
        (TypeHandler(Update, on_any_update), -1),
        # Free text only in private chats; groups get answers to commands alone. It takes
        # no command, button or inline query, so it goes first: PTB tries the handlers of
        # a group in order, and free text is what people send most.
        (MessageHandler(_PRIVATE & _NEW & filters.TEXT & ~filters.COMMAND, on_private_text), 0),
        # Commands, in groups too (`/rates@bot` included; other bots' commands are ignored).
        # PTB tries them in order, so the ones people send most come first.
        (CommandHandler("rates", cmd_rates, _NEW), 0),
        (CommandHandler("convert", cmd_convert_or_rate, _NEW), 0),
        (CommandHandler("news", cmd_news, _NEW), 0),
        (CommandHandler("country", cmd_country, _NEW), 0),
        (CommandHandler("chart", cmd_chart, _NEW), 0),
        (CommandHandler("start", cmd_start, _NEW), 0),
        (CommandHandler("help", cmd_help, _NEW), 0),
        (CommandHandler("lang", cmd_lang, _NEW), 0),
        (CommandHandler("settings", cmd_settings, _NEW), 0),
        (CommandHandler("subscribe", cmd_subscribe, _NEW), 0),
        (CommandHandler("unsubscribe", cmd_unsubscribe, _NEW), 0),
        (CommandHandler("follow", cmd_follow, _NEW), 0),
        (CommandHandler("following", cmd_following, _NEW), 0),
        (CommandHandler("unfollow", cmd_unfollow, _NEW), 0),
        (CommandHandler("alert", cmd_alert, _NEW), 0),
        (CommandHandler("alerts", cmd_alerts, _NEW), 0),
        # Before the unknown-command handler: anyone else gets exactly its answer.
        (CommandHandler("stats", cmd_stats, admins), 0),
        (CommandHandler("fetch", cmd_fetch, admins), 0),
        # Buttons, by the patterns of views.callbacks: they accept only data we make;
        # anything else falls to the last one.
        (CallbackQueryHandler(on_menu_button, callbacks.MENU.pattern), 0),
        (CallbackQueryHandler(on_chart_button, callbacks.CHART.pattern), 0),
        (CallbackQueryHandler(on_convert_button, callbacks.CONVERT.pattern), 0),
        (CallbackQueryHandler(on_news_page, callbacks.NEWS_PAGE.pattern), 0),
        (CallbackQueryHandler(on_more_about_country, callbacks.COUNTRY_MORE.pattern), 0),
        (CallbackQueryHandler(on_country_button, callbacks.COUNTRY.pattern), 0),
        (CallbackQueryHandler(on_alert_delete_button, callbacks.ALERT_DELETE.pattern), 0),
        (CallbackQueryHandler(on_settings_button, callbacks.SETTINGS.pattern), 0),
        (CallbackQueryHandler(on_digest_button, callbacks.DIGEST_BUTTONS), 0),
        (CallbackQueryHandler(on_stop_button, callbacks.UNFOLLOW.pattern), 0),
        (CallbackQueryHandler(on_more_like_this, callbacks.MORE_LIKE.pattern), 0),
        (CallbackQueryHandler(on_choice_button, callbacks.CHOICE_BUTTONS), 0),
        (CallbackQueryHandler(on_unknown_button), 0),
        (InlineQueryHandler(on_inline_query), 0),
        # After every command handler: a command none of them took.
        (MessageHandler(_PRIVATE & _NEW & filters.COMMAND, on_unknown_command), 0),
    ]


def _start_services(
    services: Services, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """Hang the services on ``services``: chats, subscriptions, rates, stories, store
    figures, alerts and topics."""
    # They read the clock at each call: tests pin ``bot_data.clock`` after start-up.
    zone = ZoneInfo(settings.timezone)
    services.chats = ChatService(sessions, lambda: services.clock())
    services.subscriptions = SubscriptionService(sessions, lambda: services.clock(), services.chats)
    services.rates = Rates(sessions, lambda: services.clock(), zone)
    services.stories = Stories(sessions)
    services.stats = Stats(sessions, lambda: services.clock())
    services.alerts = ChatAlerts(sessions, lambda: services.clock(), services.chats)
    services.topics = ChatTopics(sessions, lambda: services.clock(), services.chats)


class _Lifecycle:
    """Opens the store and the shared limits when the Application starts; closes them when
    it stops. ``own_budget`` is the process's send budget (the limits' on SQLite)."""

    def __init__(self, settings: Settings, own_budget: Budget) -> None:
        self.settings = settings
        self.own_budget = own_budget
        self.stack = AsyncExitStack()

    async def post_init(self, app: BotApplication) -> None:
        sessions = await self.stack.enter_async_context(open_store(self.settings))
        app.bot_data.start(
            sessions,
            default_language=self.settings.default_language,
            default_timezone=self.settings.timezone,
        )
        limits = await self.stack.enter_async_context(
            open_limits(self.settings, sessions, self.own_budget)
        )
        use_limits(app, limits)
        app.bot_data.admin_ids = frozenset(self.settings.admin_ids)
        if self.settings.fetch_sources:
            app.bot_data.fetch_now = AdminFetch(self.settings, app.bot_data)
        _start_services(app.bot_data, sessions, self.settings)
        await set_command_menus(app.bot)

    async def post_shutdown(self, app: BotApplication) -> None:
        app.bot_data.stop()
        # Leaving open_store disposes of the engine and its connection pool.
        await self.stack.aclose()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    update_processor: BaseUpdateProcessor | None = None,
) -> BotApplication:
    """Build the bot: handlers, typed context, retries, and services opened in post_init.

    Args:
        settings: Token, API base URL, database and defaults.
        request: The transport for every Bot API call (an emulator in tests and
            ``newsbot chat``); PTB's HTTP client when None.
        update_processor: How updates share the workers; round-robin across chats
            (``FairUpdateProcessor``) when None. The fairness bench compares others.
    """
    token = settings.bot_token.get_secret_value() if settings.bot_token else EMULATOR_TOKEN
    protect_secret(token)
    # The process's one send budget: replies and the passes of newsbot run share it.
    own_budget = SendBudget()
    lifecycle = _Lifecycle(settings, own_budget)
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        # Every update logged and counted (bot.update_log); searches timed.
        .application_class(UpdateLoggingApplication)
        .context_types(MEASURED_CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(RetryingLimiter(own_budget))
        .concurrent_updates(update_processor or FairUpdateProcessor(CONCURRENT_UPDATES))
        .post_init(lifecycle.post_init)
        .post_shutdown(lifecycle.post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: BotApplication = builder.build()  # type: ignore[assignment]
    for handler, group in _handlers(frozenset(settings.admin_ids)):
        app.add_handler(handler, group)
    # Notices newsbot run delivers (bot.notice_job): new stories on followed topics.
    register_notice_kind(app, topic_kind())
    app.add_error_handler(on_error)
    # Rate alerts reach chats as notices, checked after each fetch and every minute.
    register_notice_kind(app, alert_kind(settings))
    return app


def use_limits(app: BotApplication, limits: SharedLimits) -> None:
    """Send every message of ``app`` within ``limits.budget``; count floods in
    ``limits.flood`` (None: in the process)."""
    assert isinstance(app, UpdateLoggingApplication)
    app.limits = limits
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, RetryingLimiter)
    limiter.budget = limits.budget
    guard = app.handlers[FLOOD_GROUP][0]
    assert isinstance(guard, FloodGuard)
    if not guard.lifted:
        guard.shared = limits.flood


def limits_of(app: BotApplication) -> SharedLimits:
    """The limits ``app`` runs within (set when its store opened)."""
    assert isinstance(app, UpdateLoggingApplication) and app.limits is not None
    return app.limits


def lift_flood_limit(app: BotApplication, limiter: FloodLimiter | None = None) -> BotApplication:
    """Give the flood guard ``limiter``, by default one that checks every update but never
    says no: for ``newsbot chat`` (one local person, who may pipe a long script in) and for
    tests and benchmarks that send faster than anyone types."""
    guard = app.handlers[FLOOD_GROUP][0]
    assert isinstance(guard, FloodGuard)
    guard.limiter = FloodLimiter(burst=1_000_000) if limiter is None else limiter
    guard.lifted, guard.shared = True, None  # the given limiter decides, not shared buckets
    return app
