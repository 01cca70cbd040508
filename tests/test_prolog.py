"""Format detection reads the prolog in one forward scan: no input makes it backtrack.

The work is measured, not timed: the scan's text records how many characters each search
passes over, and that total stays within a small multiple of the input's length.
"""

from __future__ import annotations

from typing import SupportsIndex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.banks import detect_bank
from sources.detect import detect_format
from sources.prolog import MAX_PROLOG_ITEMS, find_root_element

# The red-team's repros (issue 17): each took seconds to forever with the old regexes.
PATHOLOGICAL = {
    "thirty processing instructions, no root": "<?a?>" * 30 + "x",
    "thirty processing instructions, then a stray root": "<?a?>" * 30 + "<x/>",
    "an HTML page under 28 comment lines": "<!-- generated -->\n" * 28 + "<html><body>",
    "unterminated comments": "<!--" * 5000,
    "unterminated instructions": "<?" * 5000,
    "a doctype subset of brackets": "<!DOCTYPE x [" + "]" * 5000 + " y",
    "a doctype subset with spaces between brackets": "<!DOCTYPE x [" + "] \n" * 3000,
    "ten thousand instructions": "<?a?>" * 10_000 + "<rss>",
    "ten thousand doctypes": "<!DOCTYPE r>" * 10_000 + "<rss>",
}


class CountingText(str):
    """A str that adds up how far each ``find`` and ``startswith`` may look."""

    scanned = 0

    def find(
        self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None
    ) -> int:
        begin = 0 if start is None else int(start)
        limit = len(self) if end is None else int(end)
        found = super().find(sub, begin, limit)
        CountingText.scanned += (limit if found < 0 else found + len(sub)) - begin
        return found

    def startswith(
        self,
        prefix: str | tuple[str, ...],
        start: SupportsIndex | None = None,
        end: SupportsIndex | None = None,
    ) -> bool:
        CountingText.scanned += len(prefix) if isinstance(prefix, str) else 0
        return super().startswith(prefix, start, end)


def work_of(text: str) -> int:
    CountingText.scanned = 0
    find_root_element(CountingText(text))
    return CountingText.scanned


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_prologs_cost_work_linear_in_their_length(text: str) -> None:
    assert work_of(text) <= 3 * len(text) + 16
    head = text.encode("latin-1")
    assert detect_bank(head) is None
    assert detect_format(head) in (None, "feed")


def test_work_grows_linearly_not_exponentially() -> None:
    small, large = work_of("<?a?>" * 20 + "x"), work_of("<?a?>" * 80 + "x")
    assert large <= 4 * small + 16


def test_the_root_is_found_after_every_kind_of_prolog_item() -> None:
    prolog = (
        '<?xml version="1.0"?>\n<!-- a > b -->\n<?pi data?>\n<!DOCTYPE rss [ <!ENTITY x "y"> ]>\n'
    )
    root = find_root_element(prolog + "<rdf:RDF xmlns:rdf='x'>")
    assert root is not None and root.name == "rdf:RDF" and root.local_name == "RDF"
    assert detect_format((prolog + "<rss version='2.0'><channel>").encode()) == "feed"
    assert detect_format(b"<!doctype html><html>") is None
    assert find_root_element("<!-- never closed <rss>") is None
    assert find_root_element("text <rss>") is None


prolog_items = st.sampled_from(
    ["<?xml version='1.0'?>", "<!-- c -->", "<?pi x?>", "<!DOCTYPE r>", "<!DOCTYPE r [<!x>]>"]
)
spaces = st.sampled_from(["", " ", "\n", "\r\n\t"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(prolog_items, spaces), max_size=30),
    st.from_regex(r"[A-Za-z_][\w.-]{0,8}", fullmatch=True),
)
def test_any_prolog_then_a_root_gives_that_root(items: list[tuple[str, str]], name: str) -> None:
    text = "".join(item + space for item, space in items) + f"<{name}>"
    root = find_root_element(text)
    assert root is not None and root.name == name and root.follower == ">"
    assert work_of(text) <= 3 * len(text) + 16


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<?!->[] \nDOCTYPEax", max_size=400))
def test_any_markup_soup_is_scanned_in_linear_work(text: str) -> None:
    assert work_of(text) <= 3 * len(text) + 16


def test_the_prolog_is_read_up_to_a_bounded_number_of_items() -> None:
    assert detect_format(("<?a?>" * MAX_PROLOG_ITEMS + "<rss>").encode()) == "feed"
    assert detect_format(("<?a?>" * (MAX_PROLOG_ITEMS + 1) + "<rss>").encode()) is None
