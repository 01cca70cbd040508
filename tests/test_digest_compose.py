"""Composing a digest: choosing and ranking stories, grouping, HTML escaping, the 4096 limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot_api_emulator.html import parse_html
from core.types import Story
from locales import use_language
from views.digest import render_digest
from views.digest_layout import (
    MAX_STORIES,
    StoryPool,
    choose_stories,
    digest_since,
    fit_digest,
    group_by_country,
    story_score,
)
from views.telegram_html import MAX_MESSAGE, visible_length

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)


def story(
    story_id: int,
    title: str = "A story",
    *,
    countries: tuple[str, ...] = ("KZ",),
    hours_ago: float = 1,
    outlets: int = 1,
    url: str | None = None,
) -> Story:
    moment = NOW - timedelta(hours=hours_ago)
    return Story(story_id, title, "", "", url, moment, moment, "en", "timesca", countries, outlets)


def test_fresher_and_more_widely_reported_stories_rank_first() -> None:
    old_but_everywhere = story(1, hours_ago=20, outlets=4)
    fresh_alone = story(2, hours_ago=1)
    stale_alone = story(3, hours_ago=30)
    ranked = choose_stories(
        [stale_alone, fresh_alone, old_but_everywhere], ["KZ"], NOW - timedelta(days=2), NOW
    )
    assert [s.id for s in ranked] == [1, 2, 3]
    assert story_score(story(4, outlets=2, hours_ago=24), NOW) == story_score(
        story(5, hours_ago=0), NOW
    )


def test_only_the_chats_countries_and_only_what_is_new() -> None:
    since = NOW - timedelta(hours=10)
    pool = [
        story(1, countries=("KG",)),
        story(2, countries=("RU", "UZ")),  # about Uzbekistan too
        story(3, countries=("RU",)),
        story(4, countries=("KG",), hours_ago=11),  # in the previous digest
    ]
    assert [s.id for s in choose_stories(pool, ["KG", "UZ"], since, NOW)] == [2, 1]
    assert digest_since(None, NOW) == NOW - timedelta(days=1)


def test_at_most_ten_grouped_by_country_in_rank_order() -> None:
    pool = [
        story(i, countries=("KZ",) if i % 3 else ("TJ", "KZ"), hours_ago=i) for i in range(1, 30)
    ]
    chosen = StoryPool(pool, NOW).choose(["TJ", "KZ"], NOW - timedelta(days=2))
    # Taken in rounds, one per country: KZ's 1, 2, 4, 5, 7 and TJ's 3, 6, 9, 12, 15.
    assert len(chosen) == MAX_STORIES and [s.id for s in chosen] == [1, 2, 3, 4, 5, 6, 7, 9, 12, 15]
    sections = group_by_country(chosen, ["TJ", "KZ"])
    assert [s.country for s in sections] == ["KZ", "TJ"]  # KZ holds the best story
    assert [s.id for s in sections[1].stories] == [3, 6, 9, 12, 15]


def test_the_digest_spreads_across_countries_before_a_second_story() -> None:
    # Ten fresh Kazakh stories and two older ones elsewhere: all three countries appear.
    pool = [story(i, countries=("KZ",), hours_ago=i) for i in range(1, 11)]
    pool += [story(20, countries=("KG",), hours_ago=30), story(21, countries=("UZ",), hours_ago=40)]
    chosen = choose_stories(pool, ["KZ", "KG", "UZ"], NOW - timedelta(days=3), NOW)
    assert len(chosen) == MAX_STORIES
    assert {20, 21} <= {s.id for s in chosen}
    assert [s.id for s in chosen] == [1, 2, 3, 4, 5, 6, 7, 8, 20, 21]


def test_undated_stories_rank_after_the_dated_news_of_recent_days() -> None:
    dated = story(1, hours_ago=40)
    undated = Story(2, "Old archive headline", "", "", None, None, NOW, "en", "a", ("KZ",))
    ranked = choose_stories([undated, dated], ["KZ"], NOW - timedelta(days=3), NOW)
    assert [s.id for s in ranked] == [1, 2]


def test_html_in_titles_and_urls_is_escaped() -> None:
    use_language("en")
    evil = story(1, '<a href="x">Tokayev</a> & <script>', url='https://e.org/?a=1&b="2"')
    html = render_digest(date(2026, 11, 28), {}, group_by_country([evil], ["KZ"]))
    parsed = parse_html(html)  # the emulator's strict parser: an unescaped < or & fails
    assert '<a href="x">Tokayev</a> & <script>' in parsed.text
    assert "&lt;script&gt;" in html and 'href="https://e.org/?a=1&amp;b=&quot;2&quot;"' in html
    assert "javascript" not in render_digest(
        date(2026, 11, 28), {}, group_by_country([story(2, url="javascript:alert(1)")], ["KZ"])
    )


def test_huge_titles_never_pass_4096() -> None:
    use_language("en")
    # Emoji weigh two UTF-16 units: ten 300-character titles of them are 6,000 units.
    huge = [story(i, "🇰🇿" * 5000, hours_ago=i) for i in range(1, 11)]
    chosen = choose_stories(huge, ["KZ"], NOW - timedelta(days=2), NOW)

    def render(kept: object) -> str:
        return render_digest(date(2026, 11, 28), {}, group_by_country(list(kept), ["KZ"]))  # type: ignore[call-overload]

    text, kept = fit_digest(chosen, render)
    assert visible_length(text) <= MAX_MESSAGE
    assert 0 < len(kept) < 10 and [s.id for s in kept] == list(range(1, len(kept) + 1))
    # Even a renderer that cannot fit anything is cut to the limit.
    text, kept = fit_digest([], lambda _kept: "<b>" + "x" * 9000 + "</b>")
    assert visible_length(text) <= MAX_MESSAGE and kept == []


def test_nothing_new_is_one_line_with_the_rates() -> None:
    use_language("en")
    html = render_digest(date(2026, 11, 28), {}, [])
    assert "Nothing new about your countries" in html and "Nov 28, 2026" in html
