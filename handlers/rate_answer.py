"""The rate question without an amount, in free text, /convert and inline mode."""

from __future__ import annotations

from decimal import Decimal

from telegram import Update

from core.exchange import Conversion, MissingRate, make_conversion
from core.money import ConversionRequest, ParseFailure
from core.rate_question import (
    LOCAL_CURRENCIES,
    RateQuestion,
    home_currencies,
    parse_rate_question,
    quote_pairs,
)
from handlers.context import BotContext
from handlers.money import answer_rates, cmd_convert, current_rates
from handlers.reply import command_args, reply_html
from locales import _, current_language
from views.money import (
    convert_usage,
    rate_usage,
    render_missing_rate,
    render_parse_failure,
    render_rate_answer,
)
from views.telegram_html import escape

_ONE = Decimal(1)


async def chat_home_currencies(context: BotContext, chat_id: int | None) -> tuple[str, ...]:
    """The currencies this chat thinks in: its digest countries', else its language's."""
    countries: tuple[str, ...] = ()
    if chat_id is not None:
        countries = await context.bot_data.subscriptions.digest_countries(chat_id)
    return home_currencies(countries, current_language())


async def rate_conversions(
    context: BotContext, question: RateQuestion, chat_id: int | None
) -> list[Conversion] | MissingRate:
    """One unit converted for every pair that answers ``question``, at the current rates.

    Pairs without a stored rate are left out; when none is left, the first missing
    currency comes back.
    """
    named = question.currencies
    # Only a foreign currency named alone is quoted in the chat's own currency.
    needs_home = len(named) == 1 and named[0] not in LOCAL_CURRENCIES
    home = await chat_home_currencies(context, chat_id) if needs_home else ()
    current = await current_rates(context)
    found: list[Conversion] = []
    missing: MissingRate | None = None
    for unit, quoted in quote_pairs(question, home):
        result = make_conversion(ConversionRequest(_ONE, unit, quoted), quoted, current)
        if isinstance(result, MissingRate):
            missing = missing or result
        else:
            found.append(result)
    return found if found or missing is None else missing


async def answer_rate_question(
    update: Update, context: BotContext, question: RateQuestion | ParseFailure
) -> None:
    """Reply with the rate asked for (all rates for "rates" alone), or why it cannot be."""
    if isinstance(question, ParseFailure):
        await reply_html(update, context, render_parse_failure(question, rate_usage()))
        return
    if not question.currencies:
        await answer_rates(update, context, "")
        return
    chat = update.effective_chat
    answer = await rate_conversions(context, question, chat.id if chat else None)
    if isinstance(answer, MissingRate):
        current = await current_rates(context)
        text = (
            render_missing_rate(answer.currency)
            if current
            else escape(_("No rates are stored yet."))
        )
        await reply_html(update, context, text)
        return
    await reply_html(update, context, render_rate_answer(answer))


async def answer_if_rate_question(update: Update, context: BotContext, text: str) -> bool:
    """Answer ``text`` when it is a rate question without an amount; say whether it was."""
    question = parse_rate_question(text)
    if question is None:
        return False
    await answer_rate_question(update, context, question)
    return True


async def cmd_convert_or_rate(update: Update, context: BotContext) -> None:
    """/convert: a conversion with an amount, the rate without one (``/convert eur kzt``)."""
    message = update.effective_message
    words = command_args(message.text if message else "")
    if not words:
        await reply_html(update, context, f"{convert_usage()}\n{rate_usage()}")
    # A digit makes it a conversion: no need to read it twice.
    elif any(char.isdigit() for char in words) or not await answer_if_rate_question(
        update, context, words
    ):
        await cmd_convert(update, context)
