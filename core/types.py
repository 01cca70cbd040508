"""Plain data objects that cross layer boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# Limits every story obeys; the store's columns are sized from them.
MAX_URL_CHARS = 2048
MAX_SOURCE_CHARS = 64
MAX_COUNTRIES = 20


@dataclass(frozen=True, slots=True)
class StoryDraft:
    """A story as a parser found it, before it is stored.

    Attributes:
        title: Headline, plain text.
        text: Full text, plain text ("" when the source has only a teaser).
        summary: Short teaser, plain text ("" when absent).
        url: Link to the original, or None.
        published: Aware datetime of publication, or None when unknown.
        lang: ISO 639-1 language code, or None when unknown.
        source: Short name of the outlet or file it came from.
        countries: ISO 3166-1 alpha-2 codes, main country first.
    """

    title: str
    text: str = ""
    summary: str = ""
    url: str | None = None
    published: datetime | None = None
    lang: str | None = None
    source: str = ""
    countries: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Story:
    """A stored story, as read back from the store."""

    id: int
    title: str
    text: str
    summary: str
    url: str | None
    published: datetime | None
    fetched: datetime
    lang: str | None
    source: str
    countries: tuple[str, ...]
    # How many outlets reported it (1 = only ``source``); the digest ranks by it.
    outlets: int = 1
    # The same story from the same outlet in other languages (``core.editions``).
    editions: tuple[Story, ...] = ()


@dataclass(frozen=True, slots=True)
class RateQuote:
    """One currency's official rate on one day from one source.

    Attributes:
        currency: ISO 4217 code of the quoted currency.
        per_usd: Units of ``currency`` per 1 USD.
        change: Change of ``per_usd`` against the previous quote, or None.
        as_of: The date the rate is effective on (not the date requested).
        source: Who published it: nbk, nbkr, cbu, nbt, cbt, cbr or page.
    """

    currency: str
    per_usd: Decimal
    change: Decimal | None
    as_of: date
    source: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A story found by a search, with its relevance score (higher is better)."""

    story: Story
    score: float
