"""/country [name]: a keyboard of the five countries, or one country's brief."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from core.countries import CENTRAL_ASIA, COUNTRY_CURRENCY, country_flag, lookup_country
from handlers.context import BotContext, chat_zone
from handlers.money import current_rates
from handlers.news import PAGE_SIZE, latest_page
from handlers.reply import command_args, pressed_button, reply_html
from locales import _
from views.callbacks import COUNTRY, COUNTRY_MORE, CountryPage
from views.keyboards import button, keyboard
from views.names import country_name
from views.news import render_country_brief
from views.telegram_html import escape


def _countries_keyboard() -> list[list[InlineKeyboardButton]]:
    buttons = [
        button(f"{country_flag(code)} {country_name(code)}", COUNTRY.build(code))
        for code in CENTRAL_ASIA
    ]
    return [buttons[:3], buttons[3:]]


async def answer_country(update: Update, context: BotContext, code: str) -> None:
    """Reply with a country's flag, currency and rate, latest stories and a "More" button."""
    currency = COUNTRY_CURRENCY.get(code)
    rate = (await current_rates(context)).get(currency) if currency else None
    stories, more = await latest_page(context, 0, code)
    html = render_country_brief(code, rate, currency, stories, chat_zone(context))
    row = (
        [button(_("More stories ▸"), COUNTRY_MORE.build(CountryPage(code, PAGE_SIZE)))]
        if more
        else []
    )
    await reply_html(update, context, html, keyboard(row))


async def answer_country_menu(update: Update, context: BotContext) -> None:
    """Offer the five countries as buttons."""
    markup = keyboard(*_countries_keyboard())
    await reply_html(update, context, escape(_("Which country?")), markup)


async def cmd_country(update: Update, context: BotContext) -> None:
    """Show one country's brief, or a keyboard of the five countries."""
    name = command_args(update.effective_message.text if update.effective_message else "")
    if not name:
        await answer_country_menu(update, context)
        return
    code = lookup_country(name)
    if code is None:
        usage = _(
            "I do not know the country “{name}”. "
            "Usage: /country NAME, e.g. /country Kyrgyzstan, /country Бишкек or /country UZ"
        ).format(name=name[:60])
        await reply_html(update, context, escape(usage))
        return
    await answer_country(update, context, code)


async def on_country_button(update: Update, context: BotContext) -> None:
    """Answer a country button from the /country keyboard."""
    code = await pressed_button(update, COUNTRY)
    if code is None:
        return
    await answer_country(update, context, code)
