"""The text news page parser: ticker rates, the date line and story splitting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sources.page import looks_like_page, parse_date_line, parse_page
from tests.paths import seed_page

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return seed_page().read_text(encoding="utf-8")


def test_seed_gives_six_stories_and_five_rates(seed_text: str) -> None:
    result = parse_page(seed_text)
    assert result.page_date == date(2025, 12, 11)
    assert len(result.stories) == 6
    assert [q.currency for q in result.rates] == ["KGS", "KZT", "TJS", "UZS", "TMT"]
    assert result.warnings == []


def test_seed_titles(seed_text: str) -> None:
    titles = [story.title for story in parse_page(seed_text).stories]
    starts = ["Kazakhstan’s Rail", "Kazakhstan to Double", "Kyrgyz-Turkish Oil", "Central Asian"]
    starts += ["Paving the Path", "SCO Summit:"]
    assert [t.split()[0] for t in titles] == [s.split()[0] for s in starts]
    assert all(title.startswith(start) for title, start in zip(titles, starts, strict=True))


def test_seed_stories_are_dated_and_whole(seed_text: str) -> None:
    for story in parse_page(seed_text).stories:
        assert story.published == datetime(2025, 12, 11, tzinfo=UTC)
        assert story.lang == "en"
        assert story.source == "page"
        assert story.url is None
        assert "\n\n" in story.text
        assert story.title not in story.text
        assert "\u00a0" not in story.text
        assert 0 < len(story.summary) <= 280
        assert story.text.startswith(story.summary.rstrip("…")[:40])


def test_seed_rates(seed_text: str) -> None:
    rates = {q.currency: q for q in parse_page(seed_text).rates}
    kzt = rates["KZT"]
    # "0.00193" has three significant digits, and so has its inverse: 518, not 518.134715026.
    assert kzt.per_usd == Decimal("518")
    assert kzt.change == 0 and str(kzt.change) == "0"
    assert kzt.as_of == date(2025, 12, 11)
    assert kzt.source == "page"
    # "0.00008" has one: 1 / 0.00008 = 12,500 is only known as 10,000 give or take.
    assert rates["UZS"].per_usd == Decimal(10000)
    assert "E" not in str(rates["UZS"].per_usd)
    # The TJS ticker rose 0.55% in USD terms, so somoni per dollar fell.
    tjs = rates["TJS"]
    assert tjs.change is not None and tjs.change < 0
    assert tjs.change == Decimal("-0.0505700625230")


def test_our_own_page_gives_six_whole_dated_stories_and_five_rates() -> None:
    result = parse_page((PAGES / "en_page.txt").read_text(encoding="utf-8"))
    assert result.page_date == date(2025, 12, 11)
    assert [q.currency for q in result.rates] == ["KGS", "KZT", "TJS", "UZS", "TMT"]
    assert result.warnings == []
    titles = [story.title for story in result.stories]
    assert titles[0] == "Kazakhstan Plans to Double Its Dairy Output by 2028"
    assert titles[-1] == "Turkmen Gas Exports Rise as New Pipeline Section Opens"
    assert len(titles) == 6
    for story in result.stories:
        assert story.published == datetime(2025, 12, 11, tzinfo=UTC)
        assert (story.lang, story.source, story.url) == ("en", "page", None)
        assert story.title not in story.text
        assert "\u00a0" not in story.text
        assert 0 < len(story.summary) <= 280
    assert "\n\n" in result.stories[0].text


def test_change_converts_the_usd_percentage_to_per_usd_terms() -> None:
    result = parse_page("• KZT/USD = 0.00200 0.5%\n2025-12-11\n")
    (quote,) = result.rates
    # Yesterday 0.002 / 1.005 USD per tenge, i.e. 502.5 tenge per dollar; today 500.
    assert quote.per_usd == Decimal(500)
    assert quote.change == Decimal("-2.5")


def test_russian_page() -> None:
    result = parse_page((PAGES / "ru_page.txt").read_text(encoding="utf-8"), source="ru-page")
    assert result.page_date == date(2025, 12, 11)
    assert [q.currency for q in result.rates] == ["KZT", "UZS"]
    assert [s.title.split()[0] for s in result.stories] == ["В", "Фермеры", "Зимние"]
    first = result.stories[0]
    assert first.lang == "ru"
    assert first.source == "ru-page"
    assert first.text.count("\n\n") == 2
    assert result.stories[2].text == "Авиакомпания добавит два рейса в неделю с середины января."


def test_page_without_a_date_has_undated_stories_and_no_rates() -> None:
    result = parse_page((PAGES / "no_date.txt").read_text(encoding="utf-8"))
    assert result.page_date is None
    assert result.rates == []
    assert len(result.stories) == 2
    assert all(story.published is None for story in result.stories)
    assert any("rate" in warning for warning in result.warnings)
    assert any("undated" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("11 December 2025", date(2025, 12, 11)),
        ("December 11, 2025", date(2025, 12, 11)),
        ("Dec 11 2025", date(2025, 12, 11)),
        ("Thursday, 11 December 2025", date(2025, 12, 11)),
        ("2025-12-11", date(2025, 12, 11)),
        ("11.12.2025", date(2025, 12, 11)),
        ("11 декабря 2025", date(2025, 12, 11)),
        ("1 мая 2025 г.", date(2025, 5, 1)),
        ("Четверг, 11 декабря 2025", date(2025, 12, 11)),
        ("Kazakhstan 11 December 2025", None),
        ("31 February 2025", None),
        ("11 Decembre 2025", None),
        ("11 December 2025 was a Thursday", None),
        ("2025-13-01", None),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


def test_header_lines_before_the_date_are_skipped_with_a_warning() -> None:
    page = (
        "Regional Digest\n\n12 March 2024\n\nNew Bridge Links Two Villages\n\n"
        "The bridge replaces a ferry that ran for fifty years.\n"
    )
    result = parse_page(page)
    assert result.page_date == date(2024, 3, 12)
    assert [s.title for s in result.stories] == ["New Bridge Links Two Villages"]
    assert any("before the date" in warning for warning in result.warnings)


def test_short_unpunctuated_line_inside_a_story_stays_a_paragraph() -> None:
    page = (
        "2024-03-12\n\nSchool Year Will Start a Week Later\n\n"
        "The ministry moved the first day of school to September 8.\n\n"
        "photos by the ministry press office\n\n"
        "Parents were told by text message.\n\n"
        "Photo: Reuters\n\n"
        "Teachers welcomed the extra week.\n"
    )
    (story,) = parse_page(page).stories
    assert "photos by the ministry press office" in story.text
    assert "\n\nPhoto: Reuters\n\n" in story.text
    assert story.text.endswith("Teachers welcomed the extra week.")


def test_question_title_in_title_case_is_a_title() -> None:
    page = (
        "2024-03-12\n\nWill the Aral Sea Come Back?\n\n"
        "Scientists say the northern part is slowly recovering.\n\n"
        "Can We Fix It?\n\nEngineers think the dam can be raised by two metres.\n"
    )
    titles = [s.title for s in parse_page(page).stories]
    assert titles == ["Will the Aral Sea Come Back?", "Can We Fix It?"]


def test_title_without_text_is_skipped() -> None:
    page = (
        "2024-03-12\n\nRead More Stories From the Region\n\nMarket Prices Hold Steady in March\n\n"
        "Onions and carrots cost the same as a month ago.\n"
    )
    result = parse_page(page)
    assert [s.title for s in result.stories] == ["Market Prices Hold Steady in March"]
    assert any("title without text" in warning for warning in result.warnings)


def test_hard_wrapped_paragraph_is_joined() -> None:
    page = (
        "2024-03-12\n\nFarmers Plant Earlier This Spring\n\nWarm weather let farmers start\n"
        "sowing two weeks ahead of the usual date.\n"
    )
    (story,) = parse_page(page).stories
    assert story.text == "Warm weather let farmers start sowing two weeks ahead of the usual date."


def test_ticker_deduplicates_and_warns_on_conflicts() -> None:
    page = "• KGS/USD = 0.01144 0%\n• KGS/USD = 0.01144 0%\n• KGS/USD = 0.01200 0%\n2025-12-11\n"
    result = parse_page(page)
    assert [q.per_usd for q in result.rates] == [Decimal("87.41")]
    assert any("KGS" in warning for warning in result.warnings)


def test_zero_rate_is_skipped_not_divided() -> None:
    result = parse_page("• TMT/USD = 0 0%\n2025-12-11\n")
    assert result.rates == []
    assert any("TMT" in warning for warning in result.warnings)


def test_crlf_and_empty_input() -> None:
    assert parse_page("").stories == []
    page = "2024-03-12\r\n\r\nRain Returns to the South\r\n\r\nIt rained for three days.\r\n"
    assert [s.text for s in parse_page(page).stories] == ["It rained for three days."]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("  • KZT/USD = 0.00193 -0%\n", True),
        ("\n\n11 December 2025\n\nTitle", True),
        ("Site header\n11.12.2025\n", True),
        ('{"title": "x"}\n', False),
        ("one\ntwo\nthree\nfour\nfive\n2025-12-11\n", False),
        ("Just some prose without any date at all.", False),
    ],
)
def test_looks_like_page(head: str, expected: bool) -> None:
    assert looks_like_page(head) is expected
