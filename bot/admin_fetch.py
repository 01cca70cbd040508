"""The admin's /fetch: one fetch pass over the sources now, run by the bot for its handlers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.metrics import FETCHES
from bot.settings import Settings
from handlers.context import Services
from services.fetch_report import FetchNowResult, FetchStatus, SourceOutcome

if TYPE_CHECKING:
    from sources.fetcher import SourceReport

log = logging.getLogger(__name__)


def to_outcome(report: SourceReport) -> SourceOutcome:
    """The part of a fetcher's report that /fetch shows."""
    intake = report.intake
    return SourceOutcome(
        name=report.name,
        kind=report.kind,
        outcome=report.outcome,
        stories_added=intake.stories_added,
        rates_added=intake.rates_added,
        rates_updated=intake.rates_updated,
        error=report.error,
    )


class AdminFetch:
    """Fetches every source of the catalog once per call, one pass at a time per process.

    The catalog is read on each call, so an edited sources file is picked up without a
    restart and a broken one is reported to the admin instead of stopping the bot. A call
    while a pass runs returns ``BUSY`` at once: a second pass would ask every source again
    for nothing.
    """

    def __init__(self, settings: Settings, services: Services) -> None:
        self._settings = settings
        self._services = services
        self._running = False

    async def __call__(self) -> FetchNowResult:
        """Run one pass now and say what each source did."""
        # Checked and set with no await in between: one event loop, so no other
        # /fetch can slip in.
        if self._running:
            return FetchNowResult(FetchStatus.BUSY)
        self._running = True
        try:
            return await self._fetch()
        finally:
            self._running = False

    async def _fetch(self) -> FetchNowResult:
        # Imported on first use, as `newsbot run` does: polling does not need the fetchers.
        from sources.catalog import CatalogError, load_catalog
        from sources.fetcher import fetch_pass

        try:
            catalog = load_catalog(self._settings.sources_file)
        except CatalogError as exc:
            return FetchNowResult(FetchStatus.NO_SOURCES, detail=f"SOURCES_FILE: {exc}")
        log.info("fetch pass asked by an admin: %d sources", len(catalog))
        reports = await fetch_pass(catalog, self._services.sessions)
        for report in reports:
            FETCHES.labels(source=report.name, outcome=report.outcome).inc()
        # New rates show in /rates at once rather than after the cache's minute.
        self._services.rates.forget()
        return FetchNowResult(FetchStatus.DONE, tuple(to_outcome(r) for r in reports))
