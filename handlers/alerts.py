"""/alert, /alerts, the delete button, and alert requests in free text."""

from __future__ import annotations

from telegram import Update

from core.alert_request import (
    AlertParseFailure,
    AlertRequest,
    is_removal,
    parse_alert_request,
    parse_removal,
)
from core.exchange import Conversion
from handlers.context import BotContext, chat_zone
from handlers.money import current_rates
from handlers.reply import command_args, pressed_button, reply_html
from handlers.subscribe import refuse_in_group
from locales import current_language
from services.alerts import AlertSet, LevelTooFar, NoPairRate, TooManyAlerts, pair_rate
from views.alerts import (
    alert_list_markup,
    alert_usage,
    render_alert_failure,
    render_alert_list,
    render_alert_set,
    render_deleted,
    render_removal_usage,
    render_too_far,
    render_too_many,
)
from views.callbacks import ALERT_DELETE
from views.money import render_missing_rate

# Failures that show a person meant an alert in free text; the others ("no level", "no
# pair") are ordinary sentences that happen to hold a word like "tell".
_MEANT_AS_ALERT = frozenset(
    {"bad_level", "not_positive", "too_large", "same_currency", "too_many_currencies"}
)


async def cmd_alert(update: Update, context: BotContext) -> None:
    """Set an alert (``/alert usd kzt above 520``) or delete one (``/alert off 2``)."""
    words = command_args(update.effective_message.text if update.effective_message else "")
    if not words:
        await reply_html(update, context, alert_usage())
        return
    if is_removal(words):
        await _remove(update, context, parse_removal(words))
        return
    request = parse_alert_request(words)
    if isinstance(request, AlertParseFailure):
        await reply_html(update, context, render_alert_failure(request))
        return
    await answer_alert_request(update, context, request)


async def answer_alert_request(update: Update, context: BotContext, request: AlertRequest) -> None:
    """Store the alert (administrators only in groups) and say so, or why not."""
    chat = update.effective_chat
    if chat is None or await refuse_in_group(update, context):
        return
    outcome = await context.bot_data.alerts.set(
        chat.id,
        chat.type,
        request,
        context.bot_data.today(chat_zone(context)),
        context.chat_data,
        current_language(),
    )
    if isinstance(outcome, AlertSet):
        text = render_alert_set(outcome)
    elif isinstance(outcome, TooManyAlerts):
        text = render_too_many(outcome)
    elif isinstance(outcome, LevelTooFar):
        text = render_too_far(outcome, request.level)
    else:
        assert isinstance(outcome, NoPairRate)
        text = render_missing_rate(outcome.currency)
    await reply_html(update, context, text)


async def _remove(update: Update, context: BotContext, number: int | None) -> None:
    chat = update.effective_chat
    if number is None:
        await reply_html(update, context, render_removal_usage())
        return
    if chat is None or await refuse_in_group(update, context):
        return
    deleted = await context.bot_data.alerts.delete_numbered(chat.id, number)
    await reply_html(update, context, render_deleted(deleted))


async def cmd_alerts(update: Update, context: BotContext) -> None:
    """List the chat's alerts with the pair's rate now and a delete button on each."""
    chat = update.effective_chat
    if chat is None:
        return
    alerts = await context.bot_data.alerts.of_chat(chat.id)
    current = await current_rates(context) if alerts else {}
    rates: dict[int, Conversion] = {}
    for alert in alerts:
        found = pair_rate(current, alert.base, alert.quote)
        if isinstance(found, Conversion):
            rates[alert.id] = found
    await reply_html(update, context, render_alert_list(alerts, rates), alert_list_markup(alerts))


async def on_alert_delete_button(update: Update, context: BotContext) -> None:
    """Delete the alert whose button was pressed (under /alerts or under a fired alert)."""
    alert_id = await pressed_button(update, ALERT_DELETE)
    chat = update.effective_chat
    if alert_id is None or chat is None or await refuse_in_group(update, context):
        return
    deleted = await context.bot_data.alerts.delete_by_id(chat.id, alert_id)
    await reply_html(update, context, render_deleted(deleted))


async def answer_if_alert_text(update: Update, context: BotContext, text: str) -> bool:
    """Answer free text that asks for an alert ("сообщи, когда доллар будет дороже 520
    тенге"); False when it does not, so the text is read as anything else."""
    request = parse_alert_request(text)
    if isinstance(request, AlertParseFailure):
        if request.reason not in _MEANT_AS_ALERT:
            return False
        await reply_html(update, context, render_alert_failure(request))
        return True
    # Without "above", "дороже", "oshsa"... it may be a conversion ("tell me 100 usd in kzt").
    if request.direction is None:
        return False
    await answer_alert_request(update, context, request)
    return True
