"""/news [question]: the latest stories page by page, or the stories that answer a question."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from core.types import Story
from handlers.context import BotContext, chat_zone
from handlers.reply import command_args, edit_html, pressed_button, reply_html
from locales import _
from views.callbacks import COUNTRY_MORE, NEWS_PAGE, NewsPage
from views.keyboards import button, keyboard
from views.names import country_name
from views.news import render_search_results, render_story_list
from views.telegram_html import escape

PAGE_SIZE = 5
MAX_OFFSET = 10_000
MAX_QUESTION_CHARS = 300
SEARCH_RESULTS = 5


async def latest_page(
    context: BotContext, offset: int, country: str | None
) -> tuple[list[Story], bool]:
    """One page of the newest stories (about ``country`` when given), and whether more follow."""
    page = await context.bot_data.stories.page(offset, PAGE_SIZE, country)
    return page.stories, page.more


def _page_markup(offset: int, more: bool, country: str | None) -> InlineKeyboardMarkup | None:
    row = []
    if offset > 0:
        newer = NewsPage(max(offset - PAGE_SIZE, 0), country)
        row.append(button(_("◂ Newer"), NEWS_PAGE.build(newer)))
    if more and offset + PAGE_SIZE <= MAX_OFFSET:
        row.append(button(_("Older ▸"), NEWS_PAGE.build(NewsPage(offset + PAGE_SIZE, country))))
    return keyboard(row)


def _page_heading(offset: int, shown: int, country: str | None) -> str:
    first, last = offset + 1, offset + shown
    if country:
        return _("Stories about {country}, {first}–{last}").format(
            country=country_name(country), first=first, last=last
        )
    return _("Latest stories, {first}–{last}").format(first=first, last=last)


async def render_page(
    context: BotContext, offset: int, country: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The HTML and paging buttons of one page of stories."""
    stories, more = await latest_page(context, offset, country)
    if not stories:
        return escape(_("No more stories. /news starts from the newest.")), _page_markup(
            offset, False, country
        )
    html = render_story_list(
        _page_heading(offset, len(stories), country),
        stories,
        chat_zone(context),
        first_number=offset + 1,
    )
    return html, _page_markup(offset, more, country)


async def answer_question(
    update: Update,
    context: BotContext,
    question: str,
    limit: int = SEARCH_RESULTS,
    skip: int | None = None,
) -> None:
    """Reply with the stories that best answer ``question`` (without story ``skip``)."""
    wanted = limit if skip is None else limit + 1
    hits = await context.bot_data.index.search(question[:MAX_QUESTION_CHARS], limit=wanted)
    stories = [hit.story for hit in hits if hit.story.id != skip][:limit]
    await reply_html(update, context, render_search_results(question, stories, chat_zone(context)))


async def cmd_news(update: Update, context: BotContext) -> None:
    """Show the five latest stories, or the stories matching a question."""
    question = command_args(update.effective_message.text if update.effective_message else "")
    if question:
        await answer_question(update, context, question)
    else:
        await answer_latest(update, context)


async def answer_latest(update: Update, context: BotContext) -> None:
    """Reply with the first page of the newest stories."""
    html, markup = await render_page(context, 0, None)
    await reply_html(update, context, html, markup)


async def on_news_page(update: Update, context: BotContext) -> None:
    """Turn a page of stories in place (the "Older" and "Newer" buttons)."""
    page = await pressed_button(update, NEWS_PAGE)
    if page is None:
        return
    html, markup = await render_page(context, page.offset, page.country)
    await edit_html(update, html, markup)


async def on_more_about_country(update: Update, context: BotContext) -> None:
    """Send the next page of a country's stories under its brief (the "More" button)."""
    page = await pressed_button(update, COUNTRY_MORE)
    if page is None:
        return
    html, markup = await render_page(context, page.offset, page.country)
    await reply_html(update, context, html, markup)
