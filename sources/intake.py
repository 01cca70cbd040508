"""Turning one fetched body of a source into stored stories or rates."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from core.types import RateQuote, StoryDraft
from sources.banks import BankFormatError, parse_bank
from sources.banks.dropped import collect_dropped_rows
from sources.catalog import SourceSpec
from sources.decoding import DecodeError, to_parser_bytes
from sources.feeds import FeedError, parse_feed
from sources.ingest import IngestError, nbkr_quotes, prepare_story
from sources.page import parse_page
from sources.rate_gate import store_checked_rates
from storage.demo import remove_demo_data
from storage.stories import add_stories

__all__ = ["Intake", "SourceError", "store_body"]


class SourceError(Exception):
    """The body cannot be used; the message is one line saying why."""


@dataclass
class Intake:
    """What one body added to the store."""

    stories_added: int = 0
    stories_duplicate: int = 0
    stories_merged: int = 0
    rates_added: int = 0
    rates_updated: int = 0
    rates_unchanged: int = 0
    rates_rejected: int = 0
    rate_days: set[date] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def add(self, other: Intake) -> None:
        """Count ``other`` into this one (the days of a backfill)."""
        self.stories_added += other.stories_added
        self.stories_duplicate += other.stories_duplicate
        self.stories_merged += other.stories_merged
        self.rates_added += other.rates_added
        self.rates_updated += other.rates_updated
        self.rates_unchanged += other.rates_unchanged
        self.rates_rejected += other.rates_rejected
        self.rate_days |= other.rate_days
        self.problems.extend(other.problems)


def _with_source_defaults(draft: StoryDraft, spec: SourceSpec) -> StoryDraft:
    # The source's countries go first; the gazetteer adds the ones the text names.
    return prepare_story(
        dataclasses.replace(
            draft,
            lang=draft.lang or spec.lang,
            countries=spec.countries + tuple(c for c in draft.countries if c not in spec.countries),
        )
    )


async def store_body(
    session: AsyncSession, spec: SourceSpec, body: bytes, charset: str | None
) -> Intake:
    """Parse ``body`` as ``spec.kind`` says and store what it holds. Does not commit.

    Args:
        session: The source's own transaction.
        spec: The source.
        body: The fetched body.
        charset: The HTTP header's charset, or None.

    Raises:
        SourceError: The body is not what the source should serve.
    """
    try:
        # Feeds find their own encoding, the header's charset being only one witness.
        data = body if spec.kind == "feed" else to_parser_bytes(body, charset)
        with collect_dropped_rows() as dropped:
            stories, quotes, problems = await _parse(session, spec, data, charset)
        problems += dropped
    except (DecodeError, FeedError, BankFormatError, IngestError, UnicodeDecodeError) as exc:
        raise SourceError(str(exc)) from None
    intake = Intake(problems=problems)
    if stories:
        drafts = [_with_source_defaults(story, spec) for story in stories]
        added = await add_stories(session, drafts, merge_similar=True)
        intake.stories_added, intake.stories_duplicate = added.added, added.duplicates
        intake.stories_merged = added.merged
    if quotes:
        checked = await store_checked_rates(session, quotes)
        intake.rates_added, intake.rates_updated = checked.stored.added, checked.stored.updated
        intake.rates_unchanged = checked.stored.unchanged
        intake.rates_rejected = len(checked.rejected)
        intake.problems += [rejection.summary() for rejection in checked.rejected]
        intake.rate_days = {quote.as_of for quote in quotes}
    if intake.stories_added or intake.rates_added:
        await remove_demo_data(session)  # real data takes the demo off every screen
    return intake


async def _parse(
    session: AsyncSession, spec: SourceSpec, data: bytes, charset: str | None
) -> tuple[list[StoryDraft], list[RateQuote], list[str]]:
    if spec.kind == "feed":
        feed = parse_feed(data, source=spec.name, header_charset=charset)
        if not feed.stories and feed.skipped:
            raise SourceError(f"no usable entry in the feed ({feed.skipped[0]})")
        return feed.stories, [], feed.skipped
    if spec.kind == "page":
        page = parse_page(data.decode("utf-8-sig"), source=spec.name)
        if not page.stories and not page.rates:
            raise SourceError("no stories or rates found on the page")
        return page.stories, page.rates, list(page.warnings)
    if spec.kind == "nbkr":
        return [], await nbkr_quotes(session, data), []
    return [], parse_bank(spec.kind, data), []
