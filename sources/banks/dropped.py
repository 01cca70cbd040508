"""Rows a bank parser leaves out, collected so an import can report every one of them.

The parsers' signatures stay ``parse(data) -> list[RateQuote]``; a caller that wants the
dropped rows wraps the call in ``collect_dropped_rows()`` and reads the list it yields.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["collect_dropped_rows", "report_dropped_row"]

_sink: ContextVar[list[str] | None] = ContextVar("bank_rows_dropped", default=None)


def report_dropped_row(reason: str) -> None:
    """Say that one row (or one day's rows) was left out, and why."""
    sink = _sink.get()
    if sink is not None:
        sink.append(reason)


@contextmanager
def collect_dropped_rows() -> Iterator[list[str]]:
    """Collect what the parsers called inside the block report as dropped, in order."""
    sink: list[str] = []
    token = _sink.set(sink)
    try:
        yield sink
    finally:
        _sink.reset(token)
