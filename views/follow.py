"""Telegram HTML and buttons for followed topics: answers to the commands and the notices."""

from __future__ import annotations

from datetime import tzinfo

from telegram import InlineKeyboardMarkup

from core.countries import country_flag
from core.topics import MAX_TOPIC_CHARS
from core.types import Story
from locales import _, ngettext
from services.topics import MAX_TOPICS, Followed, FollowProblem
from storage.topics import FollowedTopic
from views.callbacks import MORE_LIKE, UNFOLLOW
from views.keyboards import button, keyboard
from views.names import country_name
from views.news import render_story
from views.telegram_html import escape

# Topics shown with a stop button under a batched notice (Telegram allows many more;
# a chat follows at most MAX_TOPICS).
_STOP_BUTTONS = MAX_TOPICS


def follow_usage() -> str:
    """How to write /follow, with examples."""
    return _(
        "Write a topic after /follow in any language, e.g. /follow Rogun, /follow газ цены "
        "or /follow gas prices kz (a country code at the end keeps only that country's stories)."
    )


def topic_label(topic: FollowedTopic) -> str:
    """A topic's words and countries as plain text: "gas prices (🇰🇿 Kazakhstan)"."""
    if not topic.countries:
        return topic.words
    places = ", ".join(f"{country_flag(c)} {country_name(c)}" for c in topic.countries)
    return f"{topic.words} ({places})"


def render_followed(result: Followed) -> str:
    """The answer to a /follow that worked."""
    label = topic_label(result.topic)
    if not result.new:
        text = _("This chat follows “{topic}” already (number {number} in /following).")
    else:
        text = _(
            "Following “{topic}” (number {number}). Each new story about it comes here once, "
            "in whatever language it was written. /following lists this chat's topics."
        )
    return escape(text.format(topic=label, number=result.number))


def render_follow_problem(problem: FollowProblem, words: str) -> str:
    """Why a /follow failed, with an example of what works."""
    shown = words[:60]
    if problem.kind == "empty":
        text = follow_usage()
    elif problem.kind == "stop_words":
        text = _(
            "“{words}” has only words that every story uses. Name the topic itself, "
            "e.g. /follow Rogun."
        ).format(words=shown)
    elif problem.kind == "too_long":
        text = _(
            "A topic is at most {count} characters. Name it in a few words, "
            "e.g. /follow visa-free travel uzbekistan."
        ).format(count=MAX_TOPIC_CHARS)
    elif problem.kind == "too_many":
        text = ngettext(
            "This chat follows {count} topic, the most it can. Stop one first: /following "
            "shows them, /unfollow 1 stops the first.",
            "This chat follows {count} topics, the most it can. Stop one first: /following "
            "shows them, /unfollow 1 stops the first.",
            MAX_TOPICS,
        ).format(count=MAX_TOPICS)
    else:
        text = _(
            "“{words}” matches {matched} of the last {sample} stored stories: too many "
            "for a topic; it would flood the chat. Add a word that narrows it, "
            "e.g. /follow gas prices kz."
        ).format(words=shown, matched=problem.matched, sample=problem.sample)
    return escape(text)


def render_following(topics: list[FollowedTopic]) -> tuple[str, InlineKeyboardMarkup | None]:
    """The chat's topics, numbered, each with a stop button."""
    if not topics:
        return escape(_("This chat follows no topics. Start with /follow Rogun.")), None
    heading = _("Topics this chat follows")
    lines = [f"<b>{escape(heading)}</b>"]
    lines += [f"{number}. {escape(topic_label(t))}" for number, t in enumerate(topics, start=1)]
    lines.append(escape(_("/unfollow 2 stops the second; so do the buttons.")))
    rows = [
        [button(_("Stop {number}").format(number=number), UNFOLLOW.build(t.id))]
        for number, t in enumerate(topics, start=1)
    ]
    return "\n".join(lines), keyboard(*rows)


def unfollow_usage() -> str:
    """How to write /unfollow."""
    return _("Write the topic's number from /following, e.g. /unfollow 1.")


def render_unfollowed(topic: FollowedTopic | None, number: int | None = None) -> str:
    """The answer to /unfollow or a stop button."""
    if topic is not None:
        return escape(_("Stopped following “{topic}”.").format(topic=topic_label(topic)))
    if number is not None:
        return escape(
            _("There is no topic number {number}. /following lists this chat's topics.").format(
                number=number
            )
        )
    return escape(_("This topic is not followed any more. /following lists this chat's topics."))


def render_topic_notice(
    story: Story, words: str, topic_id: int, zone: tzinfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One new story about a followed topic, with "stop following" and "more like this"."""
    heading = "🔔 " + escape(_("New on “{topic}”").format(topic=words))
    html = f"{heading}\n\n{render_story(None, story, zone, with_summary=True)}"
    markup = keyboard(
        [
            button(_("Stop following"), UNFOLLOW.build(topic_id)),
            button(_("More like this"), MORE_LIKE.build(story.id)),
        ]
    )
    return html, markup


def render_topic_batch(
    items: list[tuple[Story, str, int]], zone: tzinfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Many new stories about the chat's topics in one message (story, topic words, id)."""
    count = len(items)
    heading = "🔔 " + escape(
        ngettext(
            "{count} new story about your topics",
            "{count} new stories about your topics",
            count,
        ).format(count=count)
    )
    blocks = [f"<b>{heading}</b>"]
    for number, (story, words, _topic_id) in enumerate(items, start=1):
        about = escape(_("on “{topic}”").format(topic=words))
        blocks.append(f"{render_story(number, story, zone)}\n<i>{about}</i>")
    topics: dict[int, str] = {}
    for _story, words, topic_id in items:
        topics.setdefault(topic_id, words)
    rows = [
        [button(_("Stop “{topic}”").format(topic=words[:30]), UNFOLLOW.build(topic_id))]
        for topic_id, words in list(topics.items())[:_STOP_BUTTONS]
    ]
    return "\n\n".join(blocks), keyboard(*rows)
