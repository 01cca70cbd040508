"""Telegram HTML for lists of stories and a country's brief."""

from __future__ import annotations

from datetime import tzinfo

from core.countries import country_flag
from core.editions import other_languages, pick_edition
from core.plain_text import shorten
from core.types import RateQuote, Story
from locales import _, current_language
from views.formatting import day
from views.money import format_quote, quote_origin
from views.names import country_name, currency_name, language_names
from views.telegram_html import escape, link

TITLE_CHARS = 300
SUMMARY_CHARS = 200


def also_in(story: Story) -> str:
    """Plain "also in English, Russian" for a story with other editions, else ""."""
    langs = other_languages(story)
    if not langs:
        return ""
    return _("also in {languages}").format(languages=language_names(langs))


def story_date(story: Story, zone: tzinfo) -> str:
    """The day a story was published in the chat's zone and reader's words, or "undated".

    The time it was fetched is never shown in its place (``core.dates``).
    """
    if story.published is None:
        return _("undated")
    return day(story.published.astimezone(zone).date())


def render_story(
    number: int | None, story: Story, zone: tzinfo, *, with_summary: bool = False
) -> str:
    """One story: title (numbered when ``number`` is given), then source, date and a link.

    The story is shown in the reader's language when the outlet has that edition, with the
    other languages it is available in.
    """
    story = pick_edition(story, current_language())
    title = escape(shorten(story.title, TITLE_CHARS))
    meta = [escape(story.source) if story.source else "", story_date(story, zone)]
    if story.url:
        meta.append(link(story.url, _("read")))
    meta.append(escape(also_in(story)))
    heading = f"<b>{number}.</b> {title}" if number is not None else f"<b>{title}</b>"
    lines = [heading, "<i>" + " · ".join(m for m in meta if m) + "</i>"]
    summary = story.summary or story.text
    if with_summary and summary:
        lines.append(escape(shorten(summary, SUMMARY_CHARS)))
    return "\n".join(lines)


def render_story_list(
    heading: str, stories: list[Story], zone: tzinfo, *, first_number: int = 1
) -> str:
    """A heading (plain text) and the stories, numbered from ``first_number``."""
    blocks = [f"<b>{escape(heading)}</b>"]
    blocks += [
        render_story(first_number + offset, story, zone) for offset, story in enumerate(stories)
    ]
    return "\n\n".join(blocks)


def render_search_results(question: str, stories: list[Story], zone: tzinfo) -> str:
    """The stories found for a question, or a message saying none match."""
    shown = shorten(question, 100)
    if not stories:
        return escape(
            _("No stories match “{question}”. Try other words, or /news for the latest.").format(
                question=shown
            )
        )
    heading = _("Stories about “{question}”").format(question=shown)
    blocks = [f"<b>{escape(heading)}</b>"]
    blocks += [
        render_story(number, story, zone, with_summary=True)
        for number, story in enumerate(stories, start=1)
    ]
    return "\n\n".join(blocks)


def render_country_brief(
    code: str, rate: RateQuote | None, currency: str | None, stories: list[Story], zone: tzinfo
) -> str:
    """A country's flag and name, its currency with the current rate, and its latest stories."""
    name = country_name(code)
    lines = [f"{country_flag(code)} <b>{escape(name)}</b>"]
    if currency and rate is not None:
        lines.append(
            escape(
                _("Currency: {name} ({currency}), {rate} per 1 USD ({date}, {source})").format(
                    name=currency_name(currency),
                    currency=currency,
                    rate=format_quote(rate),
                    date=day(rate.as_of),
                    source=quote_origin(rate),
                )
            )
        )
    elif currency:
        lines.append(
            escape(
                _("Currency: {name} ({currency}), no rate stored yet").format(
                    name=currency_name(currency), currency=currency
                )
            )
        )
    blocks = ["\n".join(lines)]
    if stories:
        latest = _("Latest stories")
        blocks.append(f"<b>{escape(latest)}</b>")
        blocks += [render_story(n, story, zone) for n, story in enumerate(stories, start=1)]
    else:
        blocks.append(escape(_("No stories about {country} are stored yet.").format(country=name)))
    return "\n\n".join(blocks)
