"""Parser for news pages saved as text: a currency ticker, a date line, then stories.

The layout (see ``../shared/seed``)::

      • KZT/USD = 0.00193 -0%        <- ticker, USD per unit and daily change; repeats
    11 December 2025                 <- page date
                                     <- blank lines (may hold a space or NBSP)
    Title Of The First Story         <- title: short, no final period
    First paragraph, ending with a full stop.
    ...

A title is told from a paragraph by shape (see ``_classify``): titles are short lines
without sentence-final punctuation; in Latin script they are in Title Case, and a
sentence-case title (the Russian convention) counts only when a paragraph follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation, localcontext

from core.plain_text import clean_line, guess_lang, make_summary
from core.types import RateQuote, StoryDraft

__all__ = ["PageResult", "looks_like_page", "parse_date_line", "parse_page"]

# How many content lines may precede the date line (site headers and the like).
_DATE_SEARCH_LINES = 5
_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 24
_TITLE_MIN_WORDS = 3
_RATE_DIGITS = 12

_TICKER = re.compile(
    r"^[•·*\-]?\s*(?P<cur>[A-Z]{3})\s*/\s*USD\s*=\s*(?P<rate>\d+(?:[.,]\d+)?)"
    r"\s+(?P<pct>[+\-−]?\d+(?:[.,]\d+)?)\s*%$"
)

_EN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_RU_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("января", "январь"),
            ("февраля", "февраль"),
            ("марта", "март"),
            ("апреля", "апрель"),
            ("мая", "май"),
            ("июня", "июнь"),
            ("июля", "июль"),
            ("августа", "август"),
            ("сентября", "сентябрь"),
            ("октября", "октябрь"),
            ("ноября", "ноябрь"),
            ("декабря", "декабрь"),
        ],
        start=1,
    )
    for name in names
}
_MONTHS = _EN_MONTHS | _RU_MONTHS

# An optional weekday in front ("Thursday, 11 December 2025"), ignored.
_WEEKDAY = (
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
    r"|(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?\s+)?"
)
_DAY_MONTH_YEAR = re.compile(
    rf"^{_WEEKDAY}(?P<d>\d{{1,2}})\s+(?P<m>[A-Za-zА-Яа-яЁё]+)\.?,?\s+(?P<y>\d{{4}})"
    r"(?:\s*(?:г\.|года|г))?$"
)
_MONTH_DAY_YEAR = re.compile(
    rf"^{_WEEKDAY}(?P<m>[A-Za-z]+)\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})$"
)
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_DOTTED_DATE = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")

_SENTENCE_PUNCT = ".,;:…"
_CLOSERS = "\"'”’»)]"
# Words Title Case leaves in lower case.
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of"}
    | {"on", "onto", "or", "over", "per", "the", "to", "up", "via", "vs", "with"}
)
_WORD = re.compile(r"[^\W\d_][\w’'\-]*")


@dataclass
class PageResult:
    """What a page yielded.

    Attributes:
        stories: Stories in page order.
        rates: One quote per ticker currency (empty when the page has no date).
        page_date: The date line's date, or None when the page has none.
        warnings: Human-readable notes on anything skipped or guessed.
    """

    stories: list[StoryDraft]
    rates: list[RateQuote]
    page_date: date | None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Tick:
    currency: str
    usd_per_unit: Decimal
    pct: Decimal


def parse_date_line(line: str) -> date | None:
    """Read a line that holds only a date.

    Accepts "11 December 2025", "December 11, 2025", "2025-12-11", "11.12.2025" and
    "11 декабря 2025" (optionally with a leading weekday or a trailing "г.").

    Args:
        line: One line of text.

    Returns:
        The date, or None when the line is not exactly a valid date.
    """
    line = clean_line(line)
    if len(line) > 40:
        return None
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO_DATE, _DOTTED_DATE):
        match = pattern.match(line.lower())
        if not match:
            continue
        month_text = match["m"]
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            continue
        try:
            return date(int(match["y"]), month, int(match["d"]))
        except ValueError:
            return None
    return None


def _parse_tick(line: str) -> _Tick | None:
    match = _TICKER.match(line)
    if not match:
        return None
    try:
        rate = Decimal(match["rate"].replace(",", "."))
        pct = Decimal(match["pct"].replace(",", ".").replace("−", "-"))
    except InvalidOperation:
        return None
    return _Tick(match["cur"], rate, pct)


def _round(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _RATE_DIGITS
        rounded = +value
        if rounded == 0:
            # Drops the sign of "-0" and any exponent, so zero always prints as "0".
            return Decimal(0)
        exponent = rounded.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0 and rounded.adjusted() < 28:
            # 1 / 0.00008 would otherwise print as 1.25E+4.
            ctx.prec = 28
            rounded = rounded.quantize(Decimal(1))
    return rounded


def _quote(tick: _Tick, as_of: date, source: str) -> RateQuote | None:
    if tick.usd_per_unit <= 0 or tick.pct <= -100:
        return None
    # A ticker's "0.00193" has three significant digits; its inverse cannot have more.
    digits = len(tick.usd_per_unit.as_tuple().digits)
    with localcontext() as ctx:
        ctx.prec = 28
        per_usd = _significant(1 / tick.usd_per_unit, digits)
        # The ticker's percentage moves USD-per-unit; the previous figure was
        # rate / (1 + p/100), and the change is stated in per_usd terms.
        previous = tick.usd_per_unit / (1 + tick.pct / 100)
        change = 1 / tick.usd_per_unit - 1 / previous
    return RateQuote(
        currency=tick.currency,
        per_usd=per_usd,
        change=_round(change),
        as_of=as_of,
        source=source,
    )


def _significant(value: Decimal, digits: int) -> Decimal:
    """``value`` rounded to ``digits`` significant digits, written without an exponent."""
    with localcontext() as ctx:
        ctx.prec = max(1, min(digits, _RATE_DIGITS))
        rounded = +value
    return _round(rounded)


def _ends_like_sentence(block: str) -> bool:
    return block.rstrip(_CLOSERS)[-1:] in _SENTENCE_PUNCT


def _is_title_case(block: str) -> bool:
    words = [w for w in _WORD.findall(block) if w.lower() not in _SMALL_WORDS]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised * 5 >= len(words) * 4


def _classify(block: str) -> str:
    """Say whether a block can be a title: "strong", "weak" or "" (a paragraph)."""
    words = block.split()
    if (
        len(block) > _TITLE_MAX_CHARS
        or not _TITLE_MIN_WORDS <= len(words) <= _TITLE_MAX_WORDS
        or _ends_like_sentence(block)
    ):
        return ""
    first = block.lstrip("\"'“«(")[:1]
    if not (first.isupper() or first.isdigit()):
        return ""
    if _is_title_case(block):
        return "strong"
    # Sentence-case lines ending in ? or ! are as likely to be short paragraphs.
    return "" if block.endswith(("?", "!")) else "weak"


def _story(
    title: str, paragraphs: list[str], source: str, published: datetime | None
) -> StoryDraft:
    text = "\n\n".join(paragraphs)
    return StoryDraft(
        title=title,
        text=text,
        summary=make_summary(text),
        published=published,
        lang=guess_lang(f"{title} {text}"),
        source=source,
    )


def _split_stories(
    blocks: list[str], source: str, published: datetime | None, warnings: list[str]
) -> list[StoryDraft]:
    kinds = [_classify(block) for block in blocks]
    stories: list[StoryDraft] = []
    title: str | None = None
    paragraphs: list[str] = []
    for i, (block, kind) in enumerate(zip(blocks, kinds, strict=True)):
        followed_by_text = i + 1 < len(kinds) and not kinds[i + 1]
        if kind and followed_by_text:
            if title is not None:
                stories.append(_story(title, paragraphs, source, published))
            title, paragraphs = block, []
        elif kind == "strong" or (kind and title is None):
            warnings.append(f"title without text skipped: {block[:60]}")
        elif title is None:
            warnings.append(f"text before the first title skipped: {block[:60]}")
        else:
            paragraphs.append(block)
    if title is not None:
        stories.append(_story(title, paragraphs, source, published))
    return stories


def _blocks(lines: list[str]) -> list[str]:
    """Join runs of non-blank lines into blocks (hard-wrapped paragraphs)."""
    blocks: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line:
            run.append(line)
        elif run:
            blocks.append(" ".join(run))
            run = []
    return blocks


def parse_page(text: str, source: str = "page", rate_source: str = "page") -> PageResult:
    """Parse a text news page into stories and ticker rates.

    Args:
        text: The whole page as text.
        source: Source name put on the stories.
        rate_source: Source name put on the ticker's rates (``demo`` for the demo pages).

    Returns:
        The stories, the deduplicated ticker quotes and the page date. Without a
        date line the stories are undated and the rates are skipped; ``warnings``
        says so.
    """
    warnings: list[str] = []
    ticks: dict[str, _Tick] = {}
    lines: list[str] = []
    for raw in text.splitlines():
        line = clean_line(raw)
        tick = _parse_tick(line)
        if tick is None:
            lines.append(line)
        elif tick.currency not in ticks:
            ticks[tick.currency] = tick
        elif ticks[tick.currency] != tick:
            warnings.append(f"conflicting ticker values for {tick.currency}: kept the first")

    page_date: date | None = None
    content_seen = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        page_date = parse_date_line(line)
        if page_date is not None:
            if content_seen:
                warnings.append(f"{content_seen} line(s) before the date line skipped")
            lines = lines[index + 1 :]
            break
        content_seen += 1
        if content_seen >= _DATE_SEARCH_LINES:
            break

    rates: list[RateQuote] = []
    published: datetime | None = None
    if page_date is None:
        warnings.append("no date line: stories are undated")
        if ticks:
            warnings.append(f"no date line: {len(ticks)} ticker rate(s) skipped")
    else:
        published = datetime(page_date.year, page_date.month, page_date.day, tzinfo=UTC)
        for tick in ticks.values():
            quote = _quote(tick, page_date, rate_source)
            if quote is None:
                warnings.append(f"unusable ticker value for {tick.currency} skipped")
            else:
                rates.append(quote)

    stories = _split_stories(_blocks(lines), source, published, warnings)
    return PageResult(stories=stories, rates=rates, page_date=page_date, warnings=warnings)


def looks_like_page(head: str) -> bool:
    """Tell whether text looks like a news page: a ticker line or a date line near the top.

    Args:
        head: The beginning of a file, decoded.

    Returns:
        True when one of the first lines is a ticker line, or a date line is among
        the first few non-blank lines.
    """
    content_seen = 0
    for raw in head.splitlines()[:200]:
        line = clean_line(raw)
        if not line:
            continue
        if _parse_tick(line) is not None or parse_date_line(line) is not None:
            return True
        content_seen += 1
        if content_seen >= _DATE_SEARCH_LINES:
            return False
    return False
