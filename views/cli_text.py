"""Plain-text and JSON forms of stories, rates and conversions for the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from decimal import Decimal

from core.authority import STALE_AFTER_DAYS, is_stale, is_stand_in
from core.exchange import DISPLAY_CURRENCIES, Conversion, format_decimal, rate_places
from core.money import ParseFailure
from core.types import RateQuote, Story
from sources.ingest import FileReport

# What each parse failure means, for people reading a terminal.
_FAILURES = {
    "empty": "nothing to convert",
    "no_amount": "no amount found",
    "bad_amount": "cannot read the amount",
    "not_positive": "the amount must be above zero",
    "too_large": "the amount is too large",
    "no_currency": "no currency found",
    "unknown_currency": "unknown currency",
    "same_currency": "both currencies are the same",
    "too_long": "the request is too long",
}
CONVERT_EXAMPLE = 'e.g. newsbot convert 100 usd kzt, or newsbot convert "100 долларов в тенге"'


def parse_failure_message(failure: ParseFailure) -> str:
    """One line saying what could not be understood, with an example."""
    reason = _FAILURES.get(failure.reason, failure.reason)
    where = f" near {failure.fragment!r}" if failure.fragment else ""
    return f"{reason}{where}; {CONVERT_EXAMPLE}"


def _ordered(current: dict[str, RateQuote], wanted: Sequence[str] | None) -> list[RateQuote]:
    codes = wanted or DISPLAY_CURRENCIES
    return [current[code] for code in codes if code in current]


def _signed(value: Decimal | None, places: int) -> str:
    if value is None:
        return ""
    text = f"{value:+,.{places}f}"
    return text[1:] if text.strip("+-0.,") == "" else text


def _origin(quote: RateQuote) -> str:
    return f"{quote.source} cross rate" if is_stand_in(quote) else quote.source


def render_rates(
    current: dict[str, RateQuote], today: date, wanted: Sequence[str] | None = None
) -> str:
    """A table per 1 USD with change, date, source and a stale mark: the display currencies,
    or ``wanted`` in that order; "" when none of them has a rate."""
    rows = _ordered(current, wanted)
    if not rows:
        return ""
    lines = ["Official rates per 1 USD"]
    for quote in rows:
        places = rate_places(quote)
        stale = "  stale" if is_stale(quote, today) else ""
        lines.append(
            f"  {quote.currency}  {quote.per_usd:>14,.{places}f}  "
            f"{_signed(quote.change, places):>10}  {quote.as_of.isoformat()}  "
            f"{_origin(quote)}{stale}"
        )
    if any(is_stale(quote, today) for quote in rows):
        lines.append(f"stale: older than {STALE_AFTER_DAYS} days")
    return "\n".join(lines)


def rates_json(
    current: dict[str, RateQuote], today: date, wanted: Sequence[str] | None = None
) -> dict[str, object]:
    """The ``newsbot rates --json`` contract: decimals as strings."""
    return {
        "base": "USD",
        "rates": [
            {
                "currency": quote.currency,
                "per_usd": format_decimal(quote.per_usd),
                "change": None if quote.change is None else format_decimal(quote.change),
                "as_of": quote.as_of.isoformat(),
                "source": quote.source,
                "cross_rate": is_stand_in(quote),
                "stale": is_stale(quote, today),
            }
            for quote in _ordered(current, wanted)
        ],
    }


def conversion_json(conversion: Conversion) -> dict[str, object]:
    """The ``newsbot convert --json`` contract: decimals as strings."""
    return {
        "amount": format_decimal(conversion.amount),
        "from": conversion.source,
        "to": conversion.target,
        "result": format(conversion.result, "f"),
        "rate": format_decimal(conversion.rate),
        "as_of": conversion.as_of.isoformat() if conversion.as_of else None,
        "source": conversion.origin,
    }


def render_conversion(conversion: Conversion) -> str:
    """``100 USD = 47,877.00 KZT`` with the rate, its date and source."""
    when = conversion.as_of.isoformat() if conversion.as_of else "fixed"
    return (
        f"{conversion.amount:,f} {conversion.source} = {conversion.result:,f} {conversion.target}\n"
        f"  rate 1 {conversion.source} = {format_decimal(conversion.rate)} {conversion.target}"
        f" ({when}, {conversion.origin})"
    )


def story_json(story: Story, zone: tzinfo) -> dict[str, object]:
    """The story object shared by every JSON output."""
    return {
        "id": story.id,
        "title": story.title,
        "url": story.url,
        "published": story.published.astimezone(zone).isoformat() if story.published else None,
        "source": story.source,
        "lang": story.lang,
        "countries": list(story.countries),
    }


def render_stories(stories: list[Story], zone: tzinfo) -> str:
    """Newest first: date, countries and title, then source and link."""
    lines: list[str] = []
    for story in stories:
        when = (
            story.published.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            if story.published
            else "undated"
        )
        tags = ",".join(story.countries) or "--"
        lines.append(f"{when}  [{tags}] {story.title}")
        lines.append(f"    {story.source}" + (f"  {story.url}" if story.url else ""))
    return "\n".join(lines)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def describe_report(report: FileReport) -> str:
    """One line per ingested file: what it was and what it added or why it failed."""
    if report.error:
        return f"{report.path}: not imported: {report.error}"
    parts = []
    if report.stories_added or report.stories_duplicate or report.kind in ("feed", "jsonl"):
        parts.append(
            f"{_count(report.stories_added, 'story', 'stories')} added, "
            f"{report.stories_duplicate} already stored"
        )
    if report.rates_added or report.rates_updated or report.rates_unchanged:
        parts.append(
            f"{_count(report.rates_added, 'rate', 'rates')} added, {report.rates_updated} updated, "
            f"{report.rates_unchanged} unchanged"
        )
    if report.rates_rejected:
        parts.append(f"{report.rates_rejected} held back as implausible")
    if report.problems:
        parts.append(_count(len(report.problems), "problem", "problems"))
    return f"{report.path}: {report.kind}: " + "; ".join(parts or ["nothing to import"])
