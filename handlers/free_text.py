"""Free text in private chats: a conversion, a rate, a country, or a question about the news."""

from __future__ import annotations

from telegram import Update

from core.alert_words import mentions_alert
from core.countries import country_named_alone
from core.money import ConversionRequest, parse_conversion
from handlers.alerts import answer_if_alert_text
from handlers.context import BotContext
from handlers.country import answer_country
from handlers.money import answer_conversion
from handlers.news import answer_question
from handlers.rate_answer import answer_if_rate_question
from handlers.reply import reply_html
from views.money import render_parse_failure

QUESTION_RESULTS = 3
# A country is asked for by name alone ("Tajikistan", "Бишкек", "south korea", "uzbekistan
# news"); texts that mention one among other words ("industrial output in kazakhstan",
# "will kazakhstan double its milk output?") are questions.
MAX_COUNTRY_WORDS = 3
# Failures that can only come from a conversion attempt, worth explaining (an amount with
# no currency, "100", included); others ("no amount", "unknown currency") are just
# ordinary sentences.
_CONVERSION_MISTAKES = frozenset({"not_positive", "too_large", "same_currency", "no_currency"})


async def on_private_text(update: Update, context: BotContext) -> None:
    """Answer a conversion as /convert, a rate question with its rate, a country name as
    /country, anything else as a question."""
    message = update.effective_message
    if message is not None and message.via_bot is not None and message.via_bot.id == context.bot.id:
        # The person sent one of our own inline results: the answer is already there.
        return
    text = (message.text or "").strip() if message else ""
    if not text:
        return
    # "сообщи, когда доллар будет дороже 520 тенге": one set lookup per word first.
    if mentions_alert(text) and await answer_if_alert_text(update, context, text):
        return
    request = parse_conversion(text)
    if isinstance(request, ConversionRequest):
        await answer_conversion(update, context, request)
        return
    # "курс доллара", "USD/KZT", "kzt": the rate question without an amount.
    if request.reason == "no_amount" and await answer_if_rate_question(update, context, text):
        return
    if request.reason in _CONVERSION_MISTAKES:
        await reply_html(update, context, render_parse_failure(request))
        return
    if len(text.split()) <= MAX_COUNTRY_WORDS:
        code = country_named_alone(text)
        if code is not None:
            await answer_country(update, context, code)
            return
    await answer_question(update, context, text, limit=QUESTION_RESULTS)
