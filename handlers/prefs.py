"""/lang and /settings: the chat's language, time zone and daily digest, with buttons.

``/settings`` also takes a typed change: ``/settings tz Asia/Tashkent`` (or ``+6``),
``/settings time 08:30``, ``/settings countries kz uz``, ``/settings lang ru``.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from core.countries import CENTRAL_ASIA, country_flag
from core.schedule_words import (
    BadSubscribeWords,
    parse_subscribe_words,
    parse_time_of_day,
    parse_time_zone,
)
from handlers.context import BotContext, chat_zone
from handlers.permissions import may_change
from handlers.reply import command_args, edit_html, pressed_button, reply_html
from handlers.subscribe import (
    bad_words_problem,
    chat_zone_name,
    refuse_in_group,
)
from locales import LANGUAGES, NATIVE_NAMES, _, current_language, use_language
from services.alerts import count_alerts
from views.alerts import alerts_count_line
from views.callbacks import (
    DIGEST_COUNTRY,
    DIGEST_SWITCH,
    DIGEST_TIME,
    LANGUAGE,
    SETTINGS,
    TIMEZONE,
)
from views.keyboards import button, keyboard
from views.names import country_name, language_named, zone_city
from views.subscription import subscription_lines, zone_words
from views.telegram_html import escape

# The zones people in the region live in, west to east, and two common references.
TIMEZONES = (
    "Europe/Moscow",
    "Asia/Ashgabat",
    "Asia/Aqtobe",
    "Asia/Tashkent",
    "Asia/Dushanbe",
    "Asia/Almaty",
    "Asia/Bishkek",
    "UTC",
)
# Digest times offered as buttons; any other is typed (/settings time 07:45).
DIGEST_TIMES = ("06:00", "07:00", "08:00", "09:00", "10:00", "12:00", "18:00", "20:00", "21:00")


def _languages_markup(*, back: bool = False) -> InlineKeyboardMarkup | None:
    buttons = [button(NATIVE_NAMES[code], LANGUAGE.build(code)) for code in LANGUAGES]
    return keyboard(
        buttons[:4], buttons[4:], [button(_("« Back"), SETTINGS.build("main"))] if back else []
    )


def _timezones_markup() -> InlineKeyboardMarkup | None:
    # The city in the reader's words, and the zone's id, which /settings tz also takes.
    labels = [f"{city} · {zone}" if (city := zone_city(zone)) else zone for zone in TIMEZONES]
    buttons = [
        button(label, TIMEZONE.build(zone)) for label, zone in zip(labels, TIMEZONES, strict=True)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return keyboard(*rows, [button(_("« Back"), SETTINGS.build("main"))])


def _times_markup() -> InlineKeyboardMarkup | None:
    buttons = [button(at, DIGEST_TIME.build(at)) for at in DIGEST_TIMES]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return keyboard(*rows, [button(_("« Back"), SETTINGS.build("main"))])


def _countries_markup(chosen: tuple[str, ...]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            button(
                f"{'✅' if code in chosen else '▫️'} {country_flag(code)} {country_name(code)}",
                DIGEST_COUNTRY.build(code),
            )
        ]
        for code in CENTRAL_ASIA
    ]
    return keyboard(*rows, [button(_("« Back"), SETTINGS.build("main"))])


async def _settings_html(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    chat = update.effective_chat
    zone, zone_name = chat_zone(context), chat_zone_name(context)
    now = context.bot_data.clock()
    subscription, delivered, alerts = None, False, 0
    if chat is not None:
        alerts = await count_alerts(context.bot_data.sessions, chat.id)
        status = await context.bot_data.subscriptions.status(chat.id, now.astimezone(zone).date())
        subscription, delivered = status.subscription, status.delivered_today
    lines = [
        "<b>" + escape(_("Settings of this chat")) + "</b>",
        escape(_("Language: {language}").format(language=NATIVE_NAMES[current_language()])),
        escape(_("Time zone: {zone}").format(zone=zone_words(zone_name, zone, now))),
        *subscription_lines(subscription, zone_name, zone, now, delivered),
        alerts_count_line(alerts),
        "",
        escape(_("Or type a change, e.g. /settings tz +6, /settings time 08:30.")),
    ]
    running = subscription is not None and subscription.active
    markup = keyboard(
        [
            button(_("Change language"), SETTINGS.build("lang")),
            button(_("Change time zone"), SETTINGS.build("tz")),
        ],
        [
            button(_("Digest time"), SETTINGS.build("time")),
            button(_("Digest countries"), SETTINGS.build("cty")),
        ],
        [
            button(_("Stop the digest"), DIGEST_SWITCH.build("off"))
            if running
            else button(_("Start the digest"), DIGEST_SWITCH.build("on"))
        ],
    )
    return "\n".join(lines), markup


def _settings_usage() -> str:
    return _(
        "Write it like this: /settings tz Asia/Tashkent (or +6, UTC+5, -03:30), "
        "/settings time 08:30, /settings countries kz uz, /settings lang ru."
    )


async def cmd_lang(update: Update, context: BotContext) -> None:
    """Switch to the language named (``/lang ru``, ``/lang Қазақша``), or offer all seven."""
    message = update.effective_message
    words = command_args(message.text if message else None)
    if not words:
        await reply_html(update, context, escape(_("Choose a language:")), _languages_markup())
        return
    language = language_named(words)
    if language is None:
        await reply_html(update, context, escape(language_problem(words[:40])))
        return
    if await refuse_in_group(update, context):
        return
    await _store_language(update, context, language)  # answers in the new language from here
    done = _("I will answer in {language} from now on.").format(language=NATIVE_NAMES[language])
    await reply_html(update, context, escape(done))


async def cmd_settings(update: Update, context: BotContext) -> None:
    """Show the chat's settings with buttons, or apply a typed change (``tz``, ``time`` ...)."""
    message = update.effective_message
    args = command_args(message.text if message else None)
    if args:
        await _typed_change(update, context, args)
        return
    html, markup = await _settings_html(update, context)
    await reply_html(update, context, html, markup)


async def _typed_change(update: Update, context: BotContext, args: str) -> None:
    chat = update.effective_chat
    if chat is None or context.chat_data is None:
        return
    what, _sep, value = args.partition(" ")
    what, value = what.lower(), value.strip()
    problem = _typed_problem(what, value)
    if problem is not None:
        await reply_html(update, context, escape(problem))
        return
    if await refuse_in_group(update, context):
        return
    if what in _ZONE_WORDS:
        await _store_zone(update, context, parse_time_zone(value) or "")
    elif what in _TIME_WORDS:
        await context.bot_data.subscriptions.set_time(chat.id, parse_time_of_day(value) or "")
    elif what in _COUNTRY_WORDS:
        countries = parse_subscribe_words(value).countries
        await context.bot_data.subscriptions.set_countries(chat.id, countries)
    else:
        await _store_language(update, context, language_named(value) or "")
    html, markup = await _settings_html(update, context)
    saved = escape(_("Saved."))
    await reply_html(update, context, f"{saved}\n\n{html}", markup)


_ZONE_WORDS = ("tz", "zone", "timezone")
_TIME_WORDS = ("time",)
_COUNTRY_WORDS = ("countries", "country")
_LANGUAGE_WORDS = ("lang", "language")


def _typed_problem(what: str, value: str) -> str | None:
    """What is wrong with ``/settings WHAT VALUE``, with an example; None when it is right."""
    shown = value[:40]
    if what in _ZONE_WORDS and not parse_time_zone(value):
        return zone_problem(shown) if value else _settings_usage()
    if what in _TIME_WORDS and not parse_time_of_day(value):
        return time_problem(shown) if value else _settings_usage()
    if what in _COUNTRY_WORDS:
        try:
            words = parse_subscribe_words(value)
        except BadSubscribeWords as error:
            return bad_words_problem(error) + "\n" + _countries_example()
        if words.local_time or not words.countries:
            return _countries_example()
        return None
    if what in _LANGUAGE_WORDS and not language_named(value):
        return language_problem(shown) if value else _settings_usage()
    if what in (*_ZONE_WORDS, *_TIME_WORDS, *_LANGUAGE_WORDS):
        return None
    return _settings_usage()


def zone_problem(word: str) -> str:
    """The answer to a time zone the bot does not know, with examples."""
    return _(
        "“{word}” is not a time zone I know. Write a city, a UTC offset or a zone name, "
        "e.g. /settings tz Tashkent, /settings tz +5 or /settings tz Asia/Almaty."
    ).format(word=word)


def time_problem(word: str) -> str:
    """The answer to a time of day that is not one, with an example."""
    return _(
        "“{word}” is not a time of day. Write hours and minutes from 00:00 to 23:59, "
        "e.g. /settings time 08:30."
    ).format(word=word)


def language_problem(word: str) -> str:
    """The answer to a language the bot does not speak, with examples."""
    return _(
        "“{word}” is not a language I speak. Write e.g. /lang ru or /lang Russian, "
        "or send /lang alone for the buttons."
    ).format(word=word)


def _countries_example() -> str:
    return _("Name countries of Central Asia, e.g. /settings countries Kazakhstan uz.")


async def _store_zone(update: Update, context: BotContext, zone: str) -> None:
    chat = update.effective_chat
    if chat is None or context.chat_data is None:
        return
    await context.bot_data.chats.set_timezone(context.chat_data, chat.id, zone)


async def _store_language(update: Update, context: BotContext, language: str) -> None:
    chat = update.effective_chat
    if chat is None or context.chat_data is None:
        return
    await context.bot_data.chats.set_language(context.chat_data, chat.id, language)
    use_language(language)


async def on_settings_button(update: Update, context: BotContext) -> None:
    """Open a choice from /settings (language, zone, digest time or countries), or go back."""
    choice = await pressed_button(update, SETTINGS)
    chat = update.effective_chat
    if choice is None or chat is None:
        return
    if choice == "lang":
        await edit_html(update, escape(_("Choose a language:")), _languages_markup(back=True))
    elif choice == "tz":
        text = _("Choose a time zone, or type one: /settings tz +6")
        await edit_html(update, escape(text), _timezones_markup())
    elif choice == "time":
        text = _("Choose the digest's time, or type one: /settings time 07:45")
        await edit_html(update, escape(text), _times_markup())
    elif choice == "cty":
        subscription = await context.bot_data.subscriptions.get(chat.id)
        chosen = subscription.countries if subscription else CENTRAL_ASIA
        text = _("Tap a country to add it to the digest or take it out:")
        await edit_html(update, escape(text), _countries_markup(chosen))
    else:
        html, markup = await _settings_html(update, context)
        await edit_html(update, html, markup)


async def on_choice_button(update: Update, context: BotContext) -> None:
    """Store the language or time zone picked from a keyboard, then show the settings."""
    query = update.callback_query
    if query is None or query.data is None or context.chat_data is None:
        return
    if not await may_change(update, context):
        await query.answer(_("Only the group's administrators can change this."), show_alert=True)
        return
    language, zone = LANGUAGE.parse(query.data), TIMEZONE.parse(query.data)
    if (language is not None and language not in LANGUAGES) or (
        zone is not None and zone not in TIMEZONES
    ):
        await query.answer(_("This choice is not available any more."), show_alert=True)
        return
    if language is not None:
        await _store_language(update, context, language)
    elif zone is not None:
        await _store_zone(update, context, zone)
    await query.answer(_("Saved."))
    html, markup = await _settings_html(update, context)
    await edit_html(update, html, markup)


async def on_digest_button(update: Update, context: BotContext) -> None:
    """Store a digest time, toggle a country, or start or stop the digest."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    if not await may_change(update, context):
        await query.answer(_("Only the group's administrators can change this."), show_alert=True)
        return
    at, switch = DIGEST_TIME.parse(query.data), DIGEST_SWITCH.parse(query.data)
    code = DIGEST_COUNTRY.parse(query.data)
    subscriptions = context.bot_data.subscriptions
    stored = None
    if at is not None:
        await subscriptions.set_time(chat.id, at)
    elif switch == "on":
        await subscriptions.start(context.chat_data, chat.id, current_language())
    elif switch == "off":
        await subscriptions.unsubscribe(chat.id)
    elif code is not None:
        stored = await subscriptions.toggle_country(chat.id, code)
        if stored is None:
            await query.answer(_("Keep at least one country."), show_alert=True)
            return
    await query.answer(_("Saved."))
    if stored is not None:  # a country was toggled
        text = _("Tap a country to add it to the digest or take it out:")
        await edit_html(update, escape(text), _countries_markup(stored.countries))
        return
    html, markup = await _settings_html(update, context)
    await edit_html(update, html, markup)
