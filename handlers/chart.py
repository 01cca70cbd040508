"""/chart CUR [7d|30d|90d|1y]: a PNG line chart of a currency per 1 USD.

The chart is one series: the figures of the source ``/rates`` shows for the currency.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from babel.lists import format_list
from telegram import Update
from telegram.constants import ChatAction

from core.money import find_currency
from handlers.context import BotContext, chat_zone
from handlers.reply import command_args, pressed_button, reply_html, reply_photo
from locales import _, current_language, ngettext
from views.callbacks import CHART, ChartButton
from views.chart import MIN_POINTS, render_rate_chart
from views.formatting import (
    axis_day_labeller,
    axis_value_labeller,
    axis_year_day_labeller,
    babel_locale,
    day,
    duration,
    signed_percent,
)
from views.keyboards import button, keyboard
from views.money import format_quote, quote_origin
from views.telegram_html import escape

PERIODS: dict[str, int] = {"7d": 7, "30d": 30, "90d": 90, "1y": 365}
# How each period reads: a count of a CLDR duration unit, spelled in the reader's language.
PERIOD_UNITS: dict[str, tuple[int, str]] = {
    "7d": (7, "duration-day"),
    "30d": (30, "duration-day"),
    "90d": (90, "duration-day"),
    "1y": (1, "duration-year"),
}
DEFAULT_PERIOD = "30d"


def period_words(period: str, length: Literal["short", "long"] = "short") -> str:
    """A chart period as the reader says it: ``30 days`` / ``30 дн.`` (``30 дней`` long)."""
    count, unit = PERIOD_UNITS[period]
    return duration(count, unit, length)


def every_period() -> str:
    """All chart periods as one choice: ``7 days, 30 days, 90 days, or 1 year``."""
    words = [period_words(period, "long") for period in PERIODS]
    return str(format_list(words, style="or", locale=babel_locale(current_language())))


def chart_usage() -> str:
    """The usage line of /chart, with an example."""
    return escape(_("Usage: /chart CUR [7d|30d|90d|1y], e.g. /chart kzt 90d"))


def parse_chart_args(text: str) -> tuple[str, str] | None:
    """Read ``CUR [PERIOD]`` in either order; None when it is not that."""
    words = text.lower().split()
    if not 1 <= len(words) <= 2:
        return None
    periods = [word for word in words if word in PERIODS]
    others = [word for word in words if word not in PERIODS]
    if len(others) != 1 or len(periods) > 1:
        return None
    currency = find_currency(others[0])
    if currency is None or currency == "USD":
        return None
    return currency, periods[0] if periods else DEFAULT_PERIOD


async def answer_chart(update: Update, context: BotContext, currency: str, period: str) -> None:
    """Send the chart of ``currency`` over ``period``, or say why there is none."""
    quotes = await context.bot_data.rates.daily(currency, PERIODS[period], chat_zone(context))
    if len(quotes) < MIN_POINTS:
        text = ngettext(
            "Only {count} day of {currency} rates is stored for {period}; "
            "a chart needs at least two. Try a longer period, e.g. /chart {code} 1y",
            "Only {count} days of {currency} rates are stored for {period}; "
            "a chart needs at least two. Try a longer period, e.g. /chart {code} 1y",
            len(quotes),
        ).format(
            count=len(quotes),
            currency=currency,
            period=period_words(period, "long"),
            code=currency.lower(),
        )
        await reply_html(update, context, escape(text))
        return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    label = _("{currency} per 1 USD").format(currency=currency)
    points = [(quote.as_of, quote.per_usd) for quote in quotes]
    # Drawing takes tens of milliseconds: keep the event loop serving other chats.
    # views.chart knows nothing of languages: the axis dates come in this update's language.
    png = await asyncio.to_thread(
        render_rate_chart,
        points,
        title=label,
        y_label=label,
        day_label=axis_day_labeller(),
        value_label=axis_value_labeller(),
        year_label=axis_year_day_labeller(),
    )
    first, last = quotes[0], quotes[-1]
    # Stored rates are positive (the parsers refuse others); the guard keeps a bad row harmless.
    change = (last.per_usd - first.per_usd) / first.per_usd * 100 if first.per_usd else 0
    caption = "\n".join(
        [
            f"<b>{escape(label)}</b>",
            escape(f"{day(first.as_of)} – {day(last.as_of)}"),
            escape(f"{format_quote(first)} → {format_quote(last)} ({signed_percent(change)})"),
            # One series, one source: the authority /rates shows (see core.authority).
            escape(_("Source: {sources}").format(sources=quote_origin(last))),
        ]
    )
    other = [
        button(period_words(name), CHART.build(ChartButton(currency, name)))
        for name in PERIODS
        if name != period
    ]
    await reply_photo(update, context, png, caption, keyboard(other))


async def cmd_chart(update: Update, context: BotContext) -> None:
    """Chart a currency per 1 USD over 7 days to a year."""
    text = command_args(update.effective_message.text if update.effective_message else "")
    parsed = parse_chart_args(text)
    if parsed is None:
        await reply_html(update, context, chart_usage())
        return
    await answer_chart(update, context, *parsed)


async def on_chart_button(update: Update, context: BotContext) -> None:
    """Answer a chart button (under the rates or under another chart)."""
    pressed = await pressed_button(update, CHART)
    if pressed is None:
        return
    await answer_chart(update, context, pressed.currency, pressed.period)
