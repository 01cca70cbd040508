"""Prometheus metrics of one bot process, served at ``GET /metrics``.

Every metric lives in ``REGISTRY`` rather than prometheus-client's global one, so only the
bot's own series are exposed and tests can read them without the library's defaults.
Counters are per process: with several instances, Prometheus sums them across targets.
"""

from __future__ import annotations

from typing import Any, TypeVar

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = [
    "CONTENT_TYPE",
    "DIGESTS",
    "ERRORS",
    "FETCHES",
    "NOTICES",
    "REGISTRY",
    "REPLIES",
    "SEARCH_SECONDS",
    "UPDATES",
    "UPDATE_SECONDS",
    "exposition",
    "labelled",
]

# The *_created series double the output and say only when the process started.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

UPDATES = Counter(
    "newsbot_updates",
    "Updates handled, by kind (message, callback_query, inline_query, ...) and outcome.",
    ["kind", "outcome"],
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "newsbot_update_seconds",
    "Time from receiving an update to finishing with it, by kind.",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
REPLIES = Counter(
    "newsbot_replies",
    "Bot API calls that put something in a chat (send, edit, answer), by method.",
    ["method"],
    registry=REGISTRY,
)
ERRORS = Counter(
    "newsbot_errors",
    "Failures, by kind (the exception's class) and place (a command or a background job).",
    ["kind", "place"],
    registry=REGISTRY,
)
SEARCH_SECONDS = Histogram(
    "newsbot_search_seconds",
    "Time to answer one story search.",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
    registry=REGISTRY,
)
DIGESTS = Counter(
    "newsbot_digests",
    "Daily digests by outcome: sent, or failed for good.",
    ["outcome"],
    registry=REGISTRY,
)
NOTICES = Counter(
    "newsbot_notices",
    "Notices (rate alerts, followed topics) by kind and outcome: sent, failed or dropped.",
    ["kind", "outcome"],
    registry=REGISTRY,
)
FETCHES = Counter(
    "newsbot_fetches",
    "Source fetches by source and outcome (new, not-modified, failed).",
    ["source", "outcome"],
    registry=REGISTRY,
)


_Metric = TypeVar("_Metric", Counter, Histogram)
# (metric, label values) -> the labelled series; the values come from short fixed lists
# (kinds of update, outcomes, Bot API methods), so this stays small.
_SERIES: dict[tuple[int, tuple[str, ...]], Any] = {}


def labelled(metric: _Metric, *values: str) -> _Metric:
    """``metric.labels(*values)``, looked up once: counted on every update, the library's
    label checks and lock cost more than the count itself."""
    key = (id(metric), values)
    series = _SERIES.get(key)
    if series is None:
        series = _SERIES[key] = metric.labels(*values)
    result: _Metric = series
    return result


def exposition() -> bytes:
    """Every metric in Prometheus' text format."""
    return generate_latest(REGISTRY)
