"""Canonical URLs: the same story behind different links becomes one address."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.urls import canonical_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Example.ORG/News/1/", "https://example.org/News/1"),
        ("https://example.org:443/a?utm_source=tg&utm_medium=x", "https://example.org/a"),
        ("http://example.org:80/a#comments", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org/a?id=5&fbclid=abc&page=2", "https://example.org/a?id=5&page=2"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org", "https://example.org"),
        (
            "https://example.org/search?q=milk+kazakhstan",
            "https://example.org/search?q=milk+kazakhstan",
        ),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("ftp://example.org/a/", "ftp://example.org/a/"),
        ("not a url", "not a url"),
        ("https://example.org:99999/a", "https://example.org:99999/a"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


@given(st.text(max_size=200))
def test_canonical_url_never_raises_and_is_idempotent(text: str) -> None:
    once = canonical_url(text)
    assert canonical_url(once) == once
