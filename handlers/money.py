"""/rates and /convert, and the conversion button under the rates."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.exchange import DISPLAY_CURRENCIES, MissingRate, convert_to_defaults, make_conversion
from core.money import ConversionRequest, ParseFailure, find_currency, parse_conversion
from core.types import RateQuote
from handlers.context import BotContext, chat_zone
from handlers.reply import command_args, pressed_button, reply_html
from locales import _, current_language
from views.callbacks import CHART, CONVERT, ChartButton, ConvertButton
from views.keyboards import button, keyboard
from views.money import (
    convert_usage,
    order_rates,
    render_conversion,
    render_conversions,
    render_missing_rate,
    render_parse_failure,
    render_rates,
)
from views.telegram_html import escape

MAX_RATE_ARGS = 10
CHART_BUTTONS = 5


async def current_rates(context: BotContext) -> dict[str, RateQuote]:
    """The authoritative current quote of every stored currency (cached for a minute)."""
    return await context.bot_data.rates.current()


@lru_cache(maxsize=256)
def _rates_keyboard(currencies: tuple[str, ...], language: str) -> InlineKeyboardMarkup | None:
    """Chart and conversion buttons under the rates.

    Built once per currency list and language: keyboards are immutable, and building
    one per /rates costs more than rendering the rates themselves.
    """
    charts = [button(f"📈 {code}", CHART.build(ChartButton(code, "30d"))) for code in currencies]
    first = currencies[0]
    convert_row = [
        button(
            _("💱 100 USD → {currency}").format(currency=first),
            CONVERT.build(ConvertButton(100, "USD", first)),
        ),
        InlineKeyboardButton(
            _("💱 Other amount"), switch_inline_query_current_chat=f"100 usd {first.lower()}"
        ),
    ]
    return keyboard(charts[:CHART_BUTTONS], convert_row)


async def cmd_rates(update: Update, context: BotContext) -> None:
    """Show official rates per 1 USD with change, date, source and chart buttons."""
    text = update.effective_message.text if update.effective_message else ""
    await answer_rates(update, context, command_args(text))


async def answer_rates(update: Update, context: BotContext, words: str) -> None:
    """Reply with the rates of the currencies named in ``words`` (all when empty)."""
    wanted: list[str] = []
    for word in words.split()[:MAX_RATE_ARGS]:
        code = find_currency(word)
        if code is None or code == "USD":
            await reply_html(update, context, _rates_usage(word))
            return
        wanted.append(code)
    current = await current_rates(context)
    quotes = order_rates(current, wanted or None)
    if not quotes:
        missing = ", ".join(wanted) if wanted else ""
        text = (
            _("No rates are stored for {currencies} yet.").format(currencies=missing)
            if missing
            else _("No rates are stored yet.")
        )
        await reply_html(update, context, escape(text))
        return
    today = context.bot_data.today(chat_zone(context))
    markup = _rates_keyboard(tuple(q.currency for q in quotes), current_language())
    await reply_html(update, context, render_rates(quotes, today), markup)


def _rates_usage(word: str) -> str:
    unknown = _("Unknown currency: {word}").format(word=word[:40])
    usage = _("Usage: /rates [CUR ...], e.g. /rates kzt uzs. Known: {codes}").format(
        codes=" ".join(DISPLAY_CURRENCIES)
    )
    return f"{escape(unknown)}\n{escape(usage)}"


async def answer_conversion(
    update: Update, context: BotContext, request: ConversionRequest
) -> None:
    """Reply with a conversion (or one amount in every currency when no target is named)."""
    current = await current_rates(context)
    if request.target is None:
        many = convert_to_defaults(request, current)
        if isinstance(many, MissingRate):
            await reply_html(update, context, render_missing_rate(many.currency))
        elif not many:
            await reply_html(update, context, escape(_("No rates are stored yet.")))
        else:
            await reply_html(
                update, context, render_conversions(request.amount, request.source, many)
            )
        return
    result = make_conversion(request, request.target, current)
    if isinstance(result, MissingRate):
        await reply_html(update, context, render_missing_rate(result.currency))
        return
    await reply_html(update, context, render_conversion(result))


async def cmd_convert(update: Update, context: BotContext) -> None:
    """Convert an amount between currencies through USD, with rate, date and source."""
    text = command_args(update.effective_message.text if update.effective_message else "")
    if not text:
        await reply_html(update, context, convert_usage())
        return
    request = parse_conversion(text)
    if isinstance(request, ParseFailure):
        await reply_html(update, context, render_parse_failure(request))
        return
    await answer_conversion(update, context, request)


async def on_convert_button(update: Update, context: BotContext) -> None:
    """Answer the "100 USD → KZT" button under the rates."""
    pressed = await pressed_button(update, CONVERT)
    if pressed is None:
        return
    request = ConversionRequest(Decimal(pressed.amount), pressed.source, pressed.target)
    await answer_conversion(update, context, request)
