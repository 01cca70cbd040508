"""Telegram-safe HTML: escaping, measuring, splitting at 4096 and caption truncation."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from views.telegram_html import (
    ELLIPSIS,
    MAX_CAPTION,
    MAX_MESSAGE,
    escape,
    escape_attr,
    link,
    split_html,
    truncate_html,
    visible_length,
)

TAG = re.compile(r"<[^<>]+>")


def plain(markup: str) -> str:
    """What a person reads: tags dropped, entities decoded."""
    return html.unescape(TAG.sub("", markup))


def balanced(markup: str) -> bool:
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-z-]+)[^>]*>", markup):
        closing, name = match.groups()
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def test_escape_covers_what_telegram_requires() -> None:
    assert escape("<b>a & b</b>") == "&lt;b&gt;a &amp; b&lt;/b&gt;"
    assert escape("&amp;") == "&amp;amp;"
    assert escape_attr('x"y&z') == "x&quot;y&amp;z"


def test_link_only_for_web_addresses() -> None:
    assert link("https://a.kz/?q=1&r=<2>", "<read>") == (
        '<a href="https://a.kz/?q=1&amp;r=&lt;2&gt;">&lt;read&gt;</a>'
    )
    assert link("javascript:alert(1)", "x") == "x"
    assert link(None, "a & b") == "a &amp; b"


def test_visible_length_counts_entities_once_and_utf16_units() -> None:
    assert visible_length("<b>a</b> &amp; &lt;&#33;") == 6  # "a & <!"
    assert visible_length("🇰🇿") == 4  # two regional indicators outside the BMP
    assert visible_length("") == 0


def test_short_text_is_one_part_unchanged() -> None:
    text = "<b>Hello</b> &amp; bye"
    assert split_html(text) == [text]
    assert split_html("") == []
    assert split_html("<b></b>  ") == []


@pytest.mark.parametrize("extra", [0, 1])
def test_the_4096_boundary(extra: int) -> None:
    text = "<b>" + "&amp;" * (MAX_MESSAGE + extra) + "</b>"
    parts = split_html(text)
    assert len(parts) == 1 + extra
    assert all(visible_length(p) <= MAX_MESSAGE and balanced(p) for p in parts)


def test_split_prefers_line_breaks_and_reopens_tags() -> None:
    lines = [f"<i>line {n}</i> &lt;{n}&gt;" for n in range(1000)]
    text = "<blockquote>" + "\n".join(lines) + "</blockquote>"
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert visible_length(part) <= MAX_MESSAGE
        assert part.startswith("<blockquote>") and part.endswith("</blockquote>")
        assert balanced(part)
    # No line is cut in two: every part ends with a whole line.
    assert all(plain(p).rstrip().endswith("&gt;".replace("&gt;", ">")) for p in parts)
    assert "\n".join(plain(p) for p in parts) == plain(text)


def test_a_single_huge_word_is_cut_hard() -> None:
    parts = split_html("<code>" + "x" * 9000 + "</code>", limit=4000)
    assert [visible_length(p) for p in parts] == [4000, 4000, 1000]
    assert all(balanced(p) for p in parts)


def test_split_never_breaks_entities_or_surrogates() -> None:
    text = "&amp;🙂" * 3000
    parts = split_html(text, limit=100)
    assert "".join(plain(p) for p in parts) == plain(text)
    assert all(visible_length(p) <= 100 for p in parts)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40).map(escape),
            st.sampled_from(["\n", " ", "\n\n"]),
            st.text(min_size=1, max_size=20).map(lambda t: f"<b>{escape(t)}</b>"),
            st.text(min_size=1, max_size=20).map(
                lambda t: f'<a href="https://x.kz">{escape(t)}</a>'
            ),
        ),
        max_size=60,
    ),
    st.integers(min_value=5, max_value=200),
)
def test_split_keeps_every_visible_character_within_the_limit(
    pieces: list[str], limit: int
) -> None:
    text = "".join(pieces)
    parts = split_html(text, limit)
    for part in parts:
        assert 0 < visible_length(part) <= limit
        assert balanced(part)
    # Only whitespace may be lost, at the cuts.
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze("".join(plain(p) for p in parts)) == squeeze(plain(text))


def test_truncate_caption() -> None:
    text = "<b>" + "word &amp; " * 400 + "</b>"
    short = truncate_html(text)
    assert visible_length(short) <= MAX_CAPTION
    assert balanced(short) and plain(short).endswith(ELLIPSIS)
    assert truncate_html("<i>fits</i>") == "<i>fits</i>"
