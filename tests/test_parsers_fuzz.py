"""Every parser meets arbitrary input with its own error type or a result, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.plain_text import html_to_text
from sources.banks import BANKS, BankFormatError, parse_bank
from sources.detect import detect_format
from sources.feeds import FeedError, parse_feed
from sources.jsonl import LineError, parse_jsonl_line
from sources.page import parse_page

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Inputs that look a little like the real formats reach deeper than plain noise.
xmlish = st.lists(
    st.sampled_from(
        [
            b"<?xml version='1.0' encoding='windows-1251'?>",
            b"<rss><channel>",
            b"<item><title>",
            b"</title></item>",
            b"<ValCurs Date='01.02.2026'>",
            b"<Valute><CharCode>USD</CharCode><Nominal>1</Nominal><Value>1,5</Value></Valute>",
            b"<rates><date>03.04.2026</date><item><title>USD</title>",
            b"<description>472.31</description><quant>1</quant><change>-2</change></item>",
            b"&amp;",
            b"\xff\xfe",
            b"]]>",
        ]
    )
    | st.binary(max_size=20),
    max_size=12,
).map(b"".join)


@FAST
@given(st.binary(max_size=2000) | xmlish)
def test_detect_and_bank_parsers_never_crash(data: bytes) -> None:
    kind = detect_format(data)
    assert kind is None or kind in {"page", "feed", "jsonl", *BANKS}
    for bank in BANKS:
        try:
            quotes = parse_bank(bank, data)
        except BankFormatError:
            continue
        assert all(q.per_usd > 0 for q in quotes)


@FAST
@given(st.binary(max_size=2000) | xmlish)
def test_feed_parser_never_crashes(data: bytes) -> None:
    try:
        result = parse_feed(data)
    except FeedError:
        return
    assert all(story.title for story in result.stories)


@FAST
@given(st.binary(max_size=500) | st.text(max_size=500).map(str.encode))
def test_jsonl_line_parser_never_crashes(line: bytes) -> None:
    result = parse_jsonl_line(line, 1, "fuzz")
    assert result is None or isinstance(result, LineError) or result.title


@FAST
@given(st.text(max_size=3000))
def test_page_parser_and_html_to_text_never_crash(text: str) -> None:
    page = parse_page(text)
    assert all(story.title for story in page.stories)
    assert isinstance(html_to_text(text), str)
