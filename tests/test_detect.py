"""Format detection from a file's first 64 KB."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sources.detect import HEAD_BYTES, JSONL_PROBE_LINES, detect_format
from tests.paths import seed_page

FIXTURES = Path(__file__).parent / "fixtures"


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


@pytest.mark.parametrize(
    "name",
    ["rss2_cdata.xml", "atom.xml", "rdf.xml", "rss_cp1251.xml", "truncated.xml", "entity_bomb.xml"],
)
def test_feeds(name: str) -> None:
    assert detect_format(_head(FIXTURES / "feeds" / name)) == "feed"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("nbk_get_rates_fdate_01.04.2026.xml", "nbk"),
        ("nbkr_daily.xml", "nbkr"),
        ("cbu_json_all_2026-04-01.json", "cbu"),
        ("nbt_export_xml_2026-05-18.xml", "nbt"),
        ("cbt_kurs_20052026.xml", "cbt"),
        ("cbr_XML_daily.xml", "cbr"),
    ],
)
def test_bank_files_are_claimed_before_feeds_and_jsonl(name: str, kind: str) -> None:
    assert detect_format(_head(FIXTURES / "rates" / name)) == kind


def test_pages() -> None:
    assert detect_format(_head(FIXTURES / "pages" / "ru_page.txt")) == "page"
    assert detect_format(_head(FIXTURES / "pages" / "no_date.txt")) == "page"


def test_our_own_english_page() -> None:
    assert detect_format(_head(FIXTURES / "pages" / "en_page.txt")) == "page"


def test_seed_page() -> None:
    assert detect_format(_head(seed_page())) == "page"


def test_jsonl() -> None:
    assert detect_format(_head(FIXTURES / "jsonl" / "mixed.jsonl")) == "jsonl"
    assert detect_format(b'\xef\xbb\xbf\n\n  {"title": "x"}\n{"title": "y"}\n') == "jsonl"


def test_jsonl_whose_first_line_is_longer_than_the_head() -> None:
    head = (b'{"title": "Long", "text": "' + b"a" * HEAD_BYTES)[:HEAD_BYTES]
    assert detect_format(head) == "jsonl"


def test_json_that_is_not_an_object_per_line_is_not_jsonl() -> None:
    assert detect_format(b'["a", "b"]\n') is None
    assert detect_format(b'{\n  "title": "pretty printed"\n}\n') is None


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?>\n<!-- made -->\n<?xml-stylesheet href="s.xsl"?>\n<rss>',
        b'\xef\xbb\xbf  <feed xmlns="http://www.w3.org/2005/Atom">',
        b"<!DOCTYPE rss [<!ENTITY a 'b'>]>\n<rss>",
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"),
    ],
)
def test_feed_roots_after_prologue(head: bytes) -> None:
    assert detect_format(head) == "feed"


@pytest.mark.parametrize(
    "head",
    [
        b"<html><body><rss></rss></body></html>",
        b"<feeder/>",
        b"<?xml version='1.0'?><catalog/>",
    ],
)
def test_other_xml_is_unknown(head: bytes) -> None:
    assert detect_format(head) is None


@pytest.mark.parametrize("head", [b"", b" \n\t ", b"\xef\xbb\xbf", b"hello world", b"\xff\xfe\xfd"])
def test_empty_or_plain_is_unknown(head: bytes) -> None:
    assert detect_format(head) is None


def test_random_bytes_are_unknown() -> None:
    rng = random.Random(20251211)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(4096))
        assert detect_format(data) is None


def test_undecodable_text_with_a_date_is_unknown() -> None:
    assert detect_format(b"11 December 2025\n\xff\xfe broken bytes\n") is None


def test_head_cut_inside_a_utf8_character_still_detects_a_page() -> None:
    text = "  • KZT/USD = 0.00193 -0%\n11 декабря 2025\n\n" + "Ж" * HEAD_BYTES
    assert detect_format(text.encode()[:HEAD_BYTES]) == "page"


def test_jsonl_is_recognised_by_any_valid_line_among_the_first() -> None:
    assert detect_format(b'{"title": "cut sh\n{"title": "whole"}\n') == "jsonl"
    broken = b"not json at all\n" * (JSONL_PROBE_LINES - 1)
    assert detect_format(broken + b'{"title": "late but in time"}\n') == "jsonl"
    assert detect_format(broken + b"\n\n" + b"[1]\n" + b'{"title": "too late"}\n') is None
