"""Telegram's HTML parse mode as the emulator checks it: text, entities in UTF-16, errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot_api_emulator import ApiError, parse_html, utf16_len
from bot_api_emulator.html import _parse_well_formed, parse_html_fully


def test_plain_text_and_nested_entities() -> None:
    parsed = parse_html('<b>Rates <i>today</i></b> &amp; <a href="https://x.kz/?a=1&amp;b=2">x</a>')
    assert parsed.text == "Rates today & x"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 11},
        {"type": "italic", "offset": 6, "length": 5},
        {"type": "text_link", "url": "https://x.kz/?a=1&b=2", "offset": 14, "length": 1},
    ]


def test_offsets_count_utf16_code_units() -> None:
    # The flag is two astral characters: four UTF-16 units before the bold word.
    parsed = parse_html("🇰🇿 <b>KZT</b>")
    assert parsed.entities == [{"type": "bold", "offset": 5, "length": 3}]
    assert utf16_len("🇰🇿") == 4


def test_all_telegram_tags_are_accepted() -> None:
    source = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>"
        '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code>'
        '<pre><code class="language-python">k</code></pre><blockquote>l</blockquote>'
        '<blockquote expandable>m</blockquote><tg-emoji emoji-id="5368324170671202286">n</tg-emoji>'
    )
    parsed = parse_html(source)
    assert parsed.text == "abcdefghijklmn"
    kinds = [entity["type"] for entity in parsed.entities]
    assert kinds == [
        "bold", "italic", "underline", "underline", "strikethrough", "strikethrough",
        "strikethrough", "spoiler", "spoiler", "code", "pre", "blockquote",
        "expandable_blockquote", "custom_emoji",
    ]  # fmt: skip
    assert {"type": "pre", "offset": 10, "length": 1, "language": "python"} in parsed.entities


def test_character_references_are_decoded() -> None:
    assert parse_html("&lt;tag&gt; &quot;q&quot; &#8364; &#x20B8;").text == '<tag> "q" € ₸'


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("a <br> b", 'Unsupported start tag "br" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("AT&T", 'Unescaped "&" at byte offset 2'),
        ("Ёж & ёлка", 'Unescaped "&" at byte offset 5'),
        ("&nbsp;", 'Unescaped "&" at byte offset 0'),
        ("2 > 1", 'Unescaped ">" at byte offset 2'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<!-- note -->", 'Unsupported start tag "!--"'),
        ("<b/>", 'Unsupported start tag "b/"'),
    ],
)
def test_invalid_markup_is_refused_like_telegram(source: str, reason: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_html(source)
    assert caught.value.error_code == 400
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert reason in caught.value.description


def test_empty_tags_give_no_entity_and_link_without_href_is_text() -> None:
    parsed = parse_html("<b></b>x<a>y</a>")
    assert parsed.text == "xy"
    assert parsed.entities == []


def test_uppercase_tags_are_the_same_tags() -> None:
    assert parse_html("<B>x</B>").entities == [{"type": "bold", "offset": 0, "length": 1}]


def test_a_character_outside_the_bmp_counts_two_units_however_it_is_written() -> None:
    bold = {"type": "bold", "offset": 2, "length": 1}
    for source in ("&#128512;<b>x</b>", "😀<b>x</b>", "&#x1F600;<b>x</b>"):
        for parse in (parse_html, parse_html_fully):
            assert parse(source).entities == [bold], (source, parse)
    # Text in the BMP, Cyrillic and Kazakh letters included, is one unit a character.
    assert parse_html("Қазақстан <b>x</b>").entities == [
        {"type": "bold", "offset": 10, "length": 1}
    ]


_PIECES = [
    "<b>", "</b>", "<i>", "</i>", "<B>", "</B>", "<pre>", "</pre>", '<code class="language-py">',
    "</code>", "<code>", '<a href="https://x.kz/?a=1&amp;b=2">', "<a>", "</a>",
    '<span class="tg-spoiler">', '<span class="x">', "</span>", "<blockquote expandable>",
    "</blockquote>", '<tg-emoji emoji-id="5368324170671202286">', "<tg-emoji>", "</tg-emoji>",
    "<u >", "</u >", "<s>", "</s>", "<script>", "</script>", "<b/>", "<!-- c -->", "<?x?>",
    "<a href=x>", "<a href='y'>", "&amp;", "&lt;", "&gt;", "&quot;", "&#128512;", "&#xD800;",
    "&#0;", "&nbsp;", "&", "<", ">", "<b", "</", "Almaty ", "Ёж ", "😀", "\n", " ", "1 000,50",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_fast_path_agrees_with_the_full_parser(pieces: list[str]) -> None:
    """The well-formed fast path gives what HTMLParser gives, errors included."""
    source = "".join(pieces)
    outcomes = []
    for parse in (parse_html, parse_html_fully):
        try:
            outcomes.append(parse(source))
        except ApiError as exc:
            outcomes.append((exc.error_code, exc.description))
    assert outcomes[0] == outcomes[1]


def test_the_bots_usual_markup_takes_the_fast_path() -> None:
    source = '<b>1.</b> Tenge &amp; oil\n<i>akorda · 2026-11-27 · <a href="https://x.kz/a?b=1&amp;c=2">read</a></i>'
    fast = _parse_well_formed(source)
    assert fast is not None and fast == parse_html_fully(source)
    assert _parse_well_formed("1 < 2") is None  # left to the full parser, which words the error
