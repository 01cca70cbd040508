"""JSON Lines bulk import: good lines become drafts, bad lines become LineErrors."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.types import StoryDraft
from sources.jsonl import (
    MAX_LINE_BYTES,
    MAX_TITLE_CHARS,
    LineError,
    iter_jsonl,
    iter_jsonl_file,
    parse_jsonl_line,
)

MIXED = Path(__file__).parent / "fixtures" / "jsonl" / "mixed.jsonl"


def _parse(obj: object) -> StoryDraft | LineError | None:
    return parse_jsonl_line(json.dumps(obj, ensure_ascii=False), 7, "bulk")


def _story(obj: object) -> StoryDraft:
    result = _parse(obj)
    assert isinstance(result, StoryDraft), result
    return result


def _reason(obj: object) -> str:
    result = _parse(obj)
    assert isinstance(result, LineError), result
    assert result.line == 7
    return result.reason


def test_mixed_file_gives_drafts_and_numbered_errors() -> None:
    with MIXED.open("rb") as handle:
        results = list(iter_jsonl(handle, "bulk"))
    drafts = [r for r in results if isinstance(r, StoryDraft)]
    errors = {r.line: r.reason for r in results if isinstance(r, LineError)}
    assert [d.title for d in drafts] == [
        "Orchard Cooperative Opens a Cold Store",
        "Новый & мост через реку",
    ]
    # Line 2 is blank and yields nothing.
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 10]
    assert errors[3].startswith("invalid JSON: ")
    assert errors[4] == "missing title"
    assert errors[5] == "not an object"
    assert errors[6] == "bad published date: 11/12/2025"
    assert errors[7].startswith("bad url: ")
    assert errors[8] == "line is not UTF-8"
    assert errors[10] == "bad country code: Kazakhstan"


def test_mixed_file_good_lines_in_detail() -> None:
    with MIXED.open("rb") as handle:
        first, second = (r for r in iter_jsonl(handle, "bulk") if isinstance(r, StoryDraft))
    assert first.text == "The store keeps apples fresh until summer.\n\nFarmers pay by the crate."
    assert first.summary == "The store keeps apples fresh until summer. Farmers pay by the crate."
    assert first.url == "https://orchard-news.example/cold-store"
    assert first.published == datetime(2025, 12, 11, 4, 0, tzinfo=UTC)
    assert first.lang == "en"
    assert first.countries == ("KZ", "KG")
    assert first.source == "bulk"
    assert second.source == "river-wire"
    assert second.summary == "Мост открыли утром."
    assert second.text == ""
    assert second.published == datetime(2025, 12, 10, tzinfo=UTC)
    assert second.countries == ("UZ", "TJ")


def test_blank_lines_give_none() -> None:
    assert parse_jsonl_line(b"   \r\n", 1, "x") is None
    assert parse_jsonl_line("", 1, "x") is None


def test_bom_on_the_first_line_is_ignored() -> None:
    result = parse_jsonl_line('\ufeff{"title": "Hello"}'.encode(), 1, "x")
    assert isinstance(result, StoryDraft)
    assert result.title == "Hello"


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        ({"title": "   "}, "missing title"),
        ({"title": "<p> </p>"}, "missing title"),
        ({"title": None}, "missing title"),
        ({"title": 5}, "title is not a string"),
        ({"title": "x", "text": ["a"]}, "text is not a string"),
        ({"title": "x", "published": 20251211}, "bad published date: 20251211"),
        ({"title": "x", "published": "2025-02-30"}, "bad published date: 2025-02-30"),
        ({"title": "x", "url": "ftp://example.org/a"}, "bad url: ftp://example.org/a"),
        ({"title": "x", "url": "https:///nohost"}, "bad url: https:///nohost"),
        ({"title": "x", "lang": "english"}, "bad lang: english"),
        ({"title": "x", "countries": "KZ, KAZ"}, "bad country code: KAZ"),
        ({"title": "x", "countries": [1]}, "bad country code: 1"),
        ({"title": "x", "countries": {"KZ": 1}}, "countries is not a list or string"),
        (["title", "x"], "not an object"),
        ("just a string", "not an object"),
    ],
)
def test_bad_fields(obj: object, reason: str) -> None:
    assert _reason(obj) == reason


def test_invalid_json_reason_is_short_and_lowercase() -> None:
    result = parse_jsonl_line(b'{"title": "x",}', 3, "f")
    assert isinstance(result, LineError)
    assert result.line == 3
    assert result.reason.startswith("invalid JSON: ")
    assert result.reason[len("invalid JSON: ") :].islower()


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    result = parse_jsonl_line(b"[" * 200_000, 1, "f")
    assert isinstance(result, LineError)
    assert result.reason.startswith("invalid JSON")


def test_huge_line_is_refused_before_parsing() -> None:
    line = json.dumps({"title": "Big", "text": "x" * MAX_LINE_BYTES}).encode()
    assert parse_jsonl_line(line, 4, "f") == LineError(4, "line too long")


def test_line_of_exactly_the_limit_is_accepted() -> None:
    prefix = b'{"title": "Edge", "text": "'
    line = prefix + b"y" * (MAX_LINE_BYTES - len(prefix) - 2) + b'"}'
    assert len(line) == MAX_LINE_BYTES
    result = parse_jsonl_line(line + b"\n", 1, "f")
    assert isinstance(result, StoryDraft)


def test_iter_jsonl_file_reads_past_a_huge_line() -> None:
    good = b'{"title": "After the giant"}\n'
    data = b'{"title": "Giant", "text": "' + b"z" * (3 * MAX_LINE_BYTES) + b'"}\n' + good
    results = list(iter_jsonl_file(io.BytesIO(data), "f"))
    assert results[0] == LineError(1, "line too long")
    assert isinstance(results[1], StoryDraft)
    assert results[1].title == "After the giant"
    assert len(results) == 2


def test_dates_naive_aware_and_date_only() -> None:
    assert _story({"title": "a", "published": "2025-12-11T10:30:00"}).published == datetime(
        2025, 12, 11, 10, 30, tzinfo=UTC
    )
    assert _story({"title": "a", "published": "2025-12-11T10:30:00Z"}).published == datetime(
        2025, 12, 11, 10, 30, tzinfo=UTC
    )
    aware = _story({"title": "a", "published": "2025-12-11T10:30:00+06:00"}).published
    assert aware == datetime(2025, 12, 11, 4, 30, tzinfo=UTC)
    assert aware is not None and aware.utcoffset() is not None
    assert _story({"title": "a", "published": None}).published is None


def test_html_in_title_and_long_title_capped() -> None:
    assert _story({"title": "<b>Rates</b> &lt; 5%\n\nnow"}).title == "Rates < 5% now"
    long = _story({"title": "word " * 400}).title
    assert len(long) <= MAX_TITLE_CHARS
    assert long.endswith("…")


def test_optional_fields_and_defaults() -> None:
    story = _story({"title": "Only a title", "extra": {"ignored": True}, "url": ""})
    assert story == StoryDraft(title="Only a title", source="bulk")


def test_long_summary_is_cut_to_a_teaser() -> None:
    story = _story({"title": "t", "summary": "Sentence number one goes here. " * 30})
    assert len(story.summary) <= 280
    assert story.summary.endswith(".")


def test_countries_dedupe_and_lang_normalised() -> None:
    story = _story({"title": "t", "countries": ["kz", "KZ", " uz "], "lang": "RU"})
    assert story.countries == ("KZ", "UZ")
    assert story.lang == "ru"
