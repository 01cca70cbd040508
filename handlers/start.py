"""/start, /help, the start menu's buttons and commands the bot does not know."""

from __future__ import annotations

from telegram import BotCommand, Update

from handlers.chart import every_period
from handlers.context import BotContext
from handlers.country import answer_country_menu
from handlers.money import answer_rates
from handlers.news import answer_latest
from handlers.outcome import UNKNOWN_COMMAND, mark
from handlers.reply import pressed_button, reply_html
from locales import _
from views.callbacks import MENU
from views.keyboards import button, keyboard
from views.telegram_html import escape


def command_menu() -> list[BotCommand]:
    """The command menu Telegram shows beside the input field (setMyCommands)."""
    return [
        BotCommand("rates", _("Official exchange rates per 1 USD")),
        BotCommand("convert", _("Convert an amount, e.g. 100 usd kzt")),
        BotCommand("chart", _("Chart of a currency, e.g. kzt 30d")),
        BotCommand("news", _("Latest stories, or search them")),
        BotCommand("country", _("One country's brief")),
        BotCommand("lang", _("Choose the language")),
        BotCommand("settings", _("Language, time zone and daily digest of this chat")),
        BotCommand("subscribe", _("Daily digest, e.g. kz uz 08:30")),
        BotCommand("unsubscribe", _("Stop the daily digest")),
        BotCommand("follow", _("Follow a topic, e.g. Rogun")),
        BotCommand("following", _("Topics this chat follows")),
        BotCommand("unfollow", _("Stop following a topic, e.g. 1")),
        BotCommand("alert", _("Rate alert, e.g. usd kzt above 520")),
        BotCommand("alerts", _("This chat's rate alerts")),
        BotCommand("help", _("Every command with an example")),
    ]


def help_examples() -> list[tuple[str, str]]:
    """(command with example, what it does) of /help, in the reader's language.

    The examples are translated too: a Kazakh reader converts tenge and asks about
    Kazakhstan in Kazakh, so each language's catalog writes its own (tests run them all).
    """
    return [
        ("/rates", _("official rates of KZT, KGS, UZS, TJS, TMT (and more) per 1 USD")),
        (_("/rates kzt uzs"), _("only the currencies you name")),
        (_("/convert 100 usd kzt"), _("convert through USD with the official rates")),
        (_("/convert 1 000,50 KZT UZS"), _("amounts as you write them, in any order")),
        (_("/chart kzt 90d"), _("a chart for {periods}").format(periods=every_period())),
        ("/news", _("the latest stories, page by page")),
        (_("/news milk prices"), _("stories that answer a question")),
        (
            _("/country Kyrgyzstan"),
            _("flag, currency, rate and news of a country (any language)"),
        ),
        ("/lang", _("choose the language")),
        (_("/lang ru"), _("switch to a language at once")),
        ("/settings", _("language, time zone and daily digest of this chat")),
        (_("/settings tz Tashkent"), _("the time zone, by city, offset or zone name")),
        (
            _("/subscribe Kazakhstan uz 08:30"),
            _("a daily digest of rates and news, at your time"),
        ),
        ("/unsubscribe", _("stop the daily digest")),
        (_("/follow gas prices kz"), _("each new story about a topic, in any language")),
        ("/following", _("the topics this chat follows")),
        (_("/unfollow 1"), _("stop following topic 1")),
        (
            _("/alert usd kzt above 520"),
            _("a message when the official rate crosses a level"),
        ),
        ("/alerts", _("this chat's rate alerts, with delete buttons")),
        ("/start", _("the greeting and the main buttons")),
        ("/help", _("this list")),
    ]


def _help_html(bot_username: str) -> str:
    entries = help_examples()
    heading = _("What I can do")  # outside the f-string, where pybabel finds it
    lines = [f"<b>{escape(heading)}</b>"]
    lines += [f"<code>{escape(cmd)}</code> — {escape(text)}" for cmd, text in entries]
    lines.append("")
    lines.append(
        escape(
            _(
                "In a private chat just write: “100 usd to kzt”, “100 dollars in euros”, "
                "a country such as “Tajikistan”, or any question about the news. "
                "In other chats type @{bot} and a question or a conversion."
            ).format(bot=bot_username)
        )
    )
    return "\n".join(lines)


async def cmd_start(update: Update, context: BotContext) -> None:
    """Greet the person, say what the bot does and offer the main choices."""
    name = update.effective_user.first_name if update.effective_user else ""
    hello = _("Hello, {name}!").format(name=name)  # outside the f-string, where pybabel finds it
    text = "\n\n".join(
        [
            f"<b>{escape(hello)}</b>",
            escape(
                _(
                    "I follow the news and the official exchange rates of Kazakhstan, "
                    "Kyrgyzstan, Uzbekistan, Tajikistan and Turkmenistan. Ask me for rates, "
                    "conversions, charts, the latest stories or a country's brief."
                )
            ),
            escape(_("/help lists every command with an example.")),
        ]
    )
    row = [
        button(_("💱 Rates"), MENU.build("rates")),
        button(_("📰 News"), MENU.build("news")),
        button(_("🌏 Countries"), MENU.build("countries")),
    ]
    await reply_html(update, context, text, keyboard(row))


async def cmd_help(update: Update, context: BotContext) -> None:
    """List every command with an example."""
    await reply_html(update, context, _help_html(context.bot.username))


async def on_menu_button(update: Update, context: BotContext) -> None:
    """Answer the rates, news and countries buttons under the greeting."""
    choice = await pressed_button(update, MENU)
    if choice is None:
        return
    if choice == "rates":
        await answer_rates(update, context, "")
    elif choice == "news":
        await answer_latest(update, context)
    else:
        await answer_country_menu(update, context)


async def on_unknown_command(update: Update, context: BotContext) -> None:
    """Point a private chat to /help when a command is not one of ours."""
    mark(UNKNOWN_COMMAND)
    text = _("I do not know that command. /help lists what I can do.")
    await reply_html(update, context, escape(text))


async def on_unknown_button(update: Update, context: BotContext) -> None:
    """Answer a button the bot no longer knows (an old keyboard, or forged data)."""
    query = update.callback_query
    if query is not None:
        await query.answer(_("This button no longer works. Send the command again."))
