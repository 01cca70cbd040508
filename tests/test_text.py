"""HTML to text, line cleaning, summaries and the language guess."""

from __future__ import annotations

import pytest

from core.plain_text import (
    clean_line,
    guess_lang,
    html_to_text,
    make_summary,
    normalize_lang,
    shorten,
)


def test_html_blocks_become_paragraphs_and_inline_tags_vanish() -> None:
    html = "<div><p>First <b>bold</b> line.</p><p>Second<br>third</p></div>"
    assert html_to_text(html) == "First bold line.\n\nSecond\n\nthird"


def test_html_script_style_and_entities() -> None:
    html = "<p>Tom &amp; Jerry &lt;3 &quot;cheese&quot;</p><script>var a = '<p>x</p>';</script>"
    html += "<style>p { color: red }</style><p>Caf&eacute; &#8212; open</p>"
    assert html_to_text(html) == 'Tom & Jerry <3 "cheese"\n\nCafé — open'


def test_html_whitespace_collapses_inside_paragraphs() -> None:
    assert html_to_text("<p>  one\n\n   two\u00a0\u00a0three </p>") == "one two three"


def test_plain_text_keeps_blank_line_paragraphs() -> None:
    assert html_to_text("First  part.\n \nSecond\npart &amp; more.") == (
        "First part.\n\nSecond part & more."
    )


def test_less_than_sign_in_text_is_not_a_tag() -> None:
    assert html_to_text("<p>Inflation < 5% and 3<4</p>") == "Inflation < 5% and 3<4"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<",
        "<p",
        "</p></div>",
        "<![if x]><p>a</p>",
        "<a href='x",
        "<!-- open comment",
        "\x00<p>",
    ],
)
def test_html_to_text_never_raises(html: str) -> None:
    assert isinstance(html_to_text(html), str)


def test_unclosed_skip_tag_does_not_leak_code() -> None:
    assert "alert" not in html_to_text("<p>Safe</p><script>alert(1)")


def test_clean_line_normalises_spaces_and_drops_controls() -> None:
    assert clean_line("\u00a0 Tea\t\u2009and\x00\x07 bread\u200b \r\n") == "Tea and bread"


def test_shorten_cuts_on_a_word_boundary() -> None:
    assert shorten("alpha beta gamma delta", 14) == "alpha beta…"
    assert shorten("alpha beta", 20) == "alpha beta"
    assert len(shorten("x" * 50, 10)) == 10


def test_summary_keeps_whole_sentences_that_fit() -> None:
    text = "The dam is finished. Water will reach the fields in May. " + "More words. " * 40
    summary = make_summary(text, limit=80)
    assert (
        summary
        == "The dam is finished. Water will reach the fields in May. More words. More words."
    )


def test_summary_cuts_a_long_first_sentence_with_an_ellipsis() -> None:
    text = "A very long first sentence " + "that goes on " * 40 + "and ends."
    summary = make_summary(text, limit=60)
    assert summary.endswith("…")
    assert len(summary) <= 60
    assert text.startswith(summary[:-1])


def test_summary_of_short_text_is_the_text() -> None:
    assert make_summary("Short.\n\nTwo paragraphs.") == "Short. Two paragraphs."
    assert make_summary("") == ""


def test_summary_does_not_stop_at_a_decimal_point() -> None:
    text = "Output grew 2.1 percent in the first half of the year and more. " * 8
    summary = make_summary(text, limit=70)
    assert summary == "Output grew 2.1 percent in the first half of the year and more."


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Курс тенге вырос", "ru"), ("Tenge rate rose", "en"), ("KZT: курс 500", "ru"), ("", "en")],
)
def test_guess_lang(text: str, lang: str) -> None:
    assert guess_lang(text) == lang


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("ru_RU", "ru"), ("KK", "kk"), ("eng", None), ("", None), (None, None)],
)
def test_normalize_lang(tag: object, code: str | None) -> None:
    assert normalize_lang(tag) == code
