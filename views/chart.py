"""Line charts of a rate over time, drawn in memory as PNG bytes.

Matplotlib's Agg canvas is used directly (no pyplot, no global figure state), so
charts can be drawn from worker threads and nothing touches a display or a file.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from core.authority import STAND_IN_AFTER_DAYS

MIN_POINTS = 2
# A break longer than this (a weekend and a run of holidays fit within it) is drawn as a
# gap: the line never pretends to know the rate of months without publication.
GAP_AFTER_DAYS = STAND_IN_AFTER_DAYS
_MAX_TICKS = 7
_SIZE_INCHES = (8.0, 4.5)
_DPI = 100
_MARKERS_UP_TO = 40  # beyond this, dots on every day only blur the line


def render_rate_chart(
    points: Sequence[tuple[date, Decimal]],
    *,
    title: str,
    y_label: str,
    day_label: Callable[[date], str] | None = None,
    value_label: Callable[[float], str] | None = None,
    year_label: Callable[[date], str] | None = None,
) -> bytes:
    """Draw ``points`` (day, value) as a line chart and return it as PNG bytes.

    Args:
        points: At least two (day, value) pairs, in any order.
        title: The chart's heading, plain text (already localized).
        y_label: What the vertical axis measures, e.g. "KZT per 1 USD".
        day_label: Writes a day under the horizontal axis in the reader's language
            ("27 нояб."); matplotlib's English month names when None.
        value_label: Writes a value beside the vertical axis ("12 195,5"); plain
            figures with a decimal point when None.
        year_label: Writes a day with its year ("27 нояб. 2025 г."), used when the points
            are not all within one year; ``day_label`` when None.

    Breaks of more than GAP_AFTER_DAYS between points are drawn as gaps.

    Raises:
        ValueError: fewer than ``MIN_POINTS`` points.
    """
    if len(points) < MIN_POINTS:
        raise ValueError(f"a chart needs at least {MIN_POINTS} points, got {len(points)}")
    # Imported here: matplotlib takes most of a second to import, and only charts need it,
    # so `newsbot run` starts polling without waiting for it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    ordered = sorted(points)
    days, values = _with_gaps(ordered)

    figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(
        days,  # type: ignore[arg-type]
        values,
        color="#1f6fb2",
        linewidth=2,
        marker="o" if len(ordered) <= _MARKERS_UP_TO else None,
        markersize=3,
    )
    first, last = ordered[0][0], ordered[-1][0]
    label: Callable[[date], str]
    if first.year != last.year:
        label = year_label or day_label or (lambda day: day.strftime("%b %d, %Y"))
    else:
        label = day_label or (lambda day: day.strftime("%b %d"))
    ticks, labels = axis_ticks(first, last, label)
    axes.set_xticks([date2num(day) for day in ticks], labels)  # type: ignore[no-untyped-call]
    axes.set_title(title)
    axes.set_ylabel(y_label)
    axes.grid(True, alpha=0.3)
    if value_label is None:
        # Plain figures on the axis: "472.5", never an offset like "+4.7e2".
        axes.ticklabel_format(axis="y", style="plain", useOffset=False)
    else:
        write_value = value_label
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: write_value(y)))
    figure.tight_layout()

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _with_gaps(ordered: list[tuple[date, Decimal]]) -> tuple[list[date], list[float]]:
    """The points as matplotlib draws them, with a NaN in every long break (a gap)."""
    days: list[date] = []
    values: list[float] = []
    for index, (day, value) in enumerate(ordered):
        if index and (day - ordered[index - 1][0]).days > GAP_AFTER_DAYS:
            days.append(ordered[index - 1][0] + timedelta(days=1))
            values.append(math.nan)
        days.append(day)
        values.append(float(value))
    return days, values


def axis_ticks(
    first: date, last: date, label: Callable[[date], str]
) -> tuple[list[date], list[str]]:
    """At most seven evenly spaced whole days from ``first`` to ``last`` and their labels,
    none repeated (two ticks in one labelled unit keep only the first)."""
    span = (last - first).days
    step = max(1, math.ceil(span / (_MAX_TICKS - 1))) if span else 1
    ticks: list[date] = []
    labels: list[str] = []
    for offset in range(0, span + 1, step):
        day = first + timedelta(days=offset)
        text = label(day)
        if text not in labels:
            ticks.append(day)
            labels.append(text)
    return ticks, labels
