"""Inline mode: ``@bot question`` gives stories, ``@bot 100 usd kzt`` a conversion,
``@bot kzt`` or ``@bot usd uzs`` the rate."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from core.exchange import Conversion, MissingRate, make_conversion
from core.money import ConversionRequest, ParseFailure, parse_conversion
from core.plain_text import shorten
from core.rate_question import RateQuestion, parse_rate_question
from core.types import Story
from handlers.context import BotContext, chat_zone
from handlers.money import current_rates
from handlers.rate_answer import rate_conversions
from views.formatting import exact
from views.money import (
    format_cross_rate,
    rate_origin,
    render_conversion,
    render_rate_answer,
)
from views.news import render_story, story_date

MAX_RESULTS = 50  # Telegram's limit per answer
STORY_RESULTS = 20
MAX_QUERY_CHARS = 256
CACHE_SECONDS = 60


def _story_result(story: Story, context: BotContext) -> InlineQueryResultArticle:
    zone = chat_zone(context)
    return InlineQueryResultArticle(
        id=f"s{story.id}",
        title=shorten(story.title, 200),
        description=" · ".join(p for p in (story.source, story_date(story, zone)) if p),
        input_message_content=InputTextMessageContent(render_story(None, story, zone)),
    )


def _conversion_result(conversion: Conversion) -> InlineQueryResultArticle:
    title = (
        f"{exact(conversion.amount)} {conversion.source} = "
        f"{exact(conversion.result)} {conversion.target}"
    )
    return InlineQueryResultArticle(
        id=f"c{conversion.source}{conversion.target}{conversion.amount}"[:64],
        title=title,
        description=rate_origin(conversion),
        input_message_content=InputTextMessageContent(render_conversion(conversion)),
    )


def _rate_result(conversion: Conversion) -> InlineQueryResultArticle:
    """The rate of one unit as a result: its title is the answer, its message the same."""
    rate = format_cross_rate(conversion.rate)
    return InlineQueryResultArticle(
        id=f"r{conversion.source}{conversion.target}",
        title=f"1 {conversion.source} = {rate} {conversion.target}",
        description=rate_origin(conversion),
        input_message_content=InputTextMessageContent(render_rate_answer([conversion])),
    )


async def _conversions(context: BotContext, request: ConversionRequest) -> list[Conversion]:
    current = await current_rates(context)
    targets = [request.target] if request.target else ["USD", "KZT", "KGS", "UZS", "TJS", "TMT"]
    found = []
    for target in targets:
        if target == request.source:
            continue
        result = make_conversion(request, target, current)
        if not isinstance(result, MissingRate):
            found.append(result)
    return found


async def on_inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with a conversion, or with the stories that match it."""
    inline = update.inline_query
    if inline is None:
        return
    text = inline.query.strip()[:MAX_QUERY_CHARS]
    results: list[InlineQueryResultArticle] = []
    request = parse_conversion(text) if text else None
    question = parse_rate_question(text) if isinstance(request, ParseFailure) else None
    if isinstance(request, ConversionRequest):
        results = [_conversion_result(c) for c in await _conversions(context, request)]
    elif isinstance(question, RateQuestion):
        rates = await rate_conversions(context, question, inline.from_user.id)
        results = [] if isinstance(rates, MissingRate) else [_rate_result(c) for c in rates]
    elif text:
        hits = await context.bot_data.index.search(text, limit=STORY_RESULTS)
        results = [_story_result(hit.story, context) for hit in hits]
    else:
        stories = await context.bot_data.stories.latest(STORY_RESULTS)
        results = [_story_result(story, context) for story in stories]
    # Personal: Telegram caches answers per query text, and ours are in the asker's language
    # (words, number and date formats), so one person's cache must not reach another.
    await inline.answer(results[:MAX_RESULTS], cache_time=CACHE_SECONDS, is_personal=True)
