"""Line charts of a rate over time, drawn in memory as PNG bytes.

Matplotlib's Agg canvas is used directly (no pyplot, no global figure state), so
charts can be drawn from worker threads and nothing touches a display or a file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

MIN_POINTS = 2
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

    Raises:
        ValueError: fewer than ``MIN_POINTS`` points.
    """
    if len(points) < MIN_POINTS:
        raise ValueError(f"a chart needs at least {MIN_POINTS} points, got {len(points)}")
    # Imported here: matplotlib takes most of a second to import, and only charts need it,
    # so `newsbot run` starts polling without waiting for it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, num2date
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    ordered = sorted(points)
    days = [day for day, _ in ordered]
    values = [float(value) for _, value in ordered]

    figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(
        days,  # type: ignore[arg-type]
        values,
        color="#1f6fb2",
        linewidth=2,
        marker="o" if len(values) <= _MARKERS_UP_TO else None,
        markersize=3,
    )
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    if day_label is None:
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    else:
        label = day_label

        def tick(x: float, _pos: int | None) -> str:
            return label(num2date(x).date())  # type: ignore[no-untyped-call]

        axes.xaxis.set_major_formatter(FuncFormatter(tick))
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
