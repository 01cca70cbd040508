"""What the admin's /fetch gets back: the bot runs the pass (``bot.admin_fetch``; handlers
may not import ``sources``) and hands these plain objects to the handler and its view."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum


class FetchStatus(StrEnum):
    """How a "fetch now" request ended."""

    DONE = "done"  # the pass ran; every source has an outcome
    BUSY = "busy"  # another pass of this process is running: no second one
    NO_SOURCES = "no-sources"  # the sources file cannot be read


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What one source did in the pass (the fetcher's ``SourceReport``, reduced).

    Attributes:
        name: The source's name in the catalog.
        kind: feed, page or a bank.
        outcome: ``new``, ``not-modified`` or ``failed``.
        stories_added: New stories stored.
        rates_added: New rates stored.
        rates_updated: Stored rates whose figure changed.
        error: Why it failed, or None.
    """

    name: str
    kind: str
    outcome: str
    stories_added: int = 0
    rates_added: int = 0
    rates_updated: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FetchNowResult:
    """The answer to one "fetch now" request.

    Attributes:
        status: Whether the pass ran.
        sources: One outcome per source, in catalog order (when it ran).
        detail: Why there are no sources (for ``NO_SOURCES``), one line for the admin.
    """

    status: FetchStatus
    sources: tuple[SourceOutcome, ...] = ()
    detail: str = ""


# Set on ``Services.fetch_now`` by the bot when it fetches sources.
FetchNow = Callable[[], Awaitable[FetchNowResult]]
