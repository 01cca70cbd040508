"""How long format detection takes on hostile heads, next to an ordinary feed of the same size.

Run: ``.venv/bin/python bench/bench_detect.py``. Each pathological head (the red-team's
repros of issue 17, grown to fill the 64 KB head) is detected many times; the ratio is its
time per call over that of 64 KB of plain prose, which every detector reads before none
claims it, measured in the same run. The linear, bounded scan keeps every hostile head to
milliseconds, a small multiple of the baseline; the old regex, timed last on a few sizes,
doubled with each element and never finished on thirty. Benchmarks print; never assert.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sources.detect import HEAD_BYTES, detect_format

PROSE = b"Thousands of visitors came to the lake on Saturday to watch the boat parade.\n\n"


def _fill(start: bytes, unit: bytes, end: bytes = b"") -> bytes:
    count = (HEAD_BYTES - len(start) - len(end)) // len(unit)
    return start + unit * count + end


# Plain prose passes every detector before none claims it: the dearest ordinary head.
BASELINE = _fill(b"", PROSE)
CASES = {
    "processing instructions, no root": _fill(b"", b"<?a?>", b"x"),
    "processing instructions, stray root": _fill(b"", b"<?a?>", b"<x/>"),
    "comment lines before HTML": _fill(b"", b"<!-- generated -->\n", b"<html>"),
    "unterminated comments": _fill(b"", b"<!--"),
    "doctypes without a subset": _fill(b"", b"<!DOCTYPE r>"),
    "a subset of brackets": _fill(b"<!DOCTYPE x [", b"] "),
}


# The regex detection used before (issue 17, finding 2), kept here only to show its growth.
OLD_ROOT = re.compile(
    r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*<([A-Za-z_][\w.-]*)",
    re.DOTALL,
)


def old_regex_seconds(items: int) -> float:
    """Seconds the old regex takes on ``items`` processing instructions and no root."""
    start = time.perf_counter()
    OLD_ROOT.match("<?a?>" * items + "x")
    return time.perf_counter() - start


def per_call(head: bytes, calls: int) -> float:
    """Seconds per ``detect_format`` call on ``head``, best of three runs."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(calls):
            detect_format(head)
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def main() -> None:
    """Print the baseline and each hostile head's time per call and ratio."""
    calls = 50
    base = per_call(BASELINE, calls)
    print(f"baseline: {len(BASELINE):,} bytes of prose, {base * 1e3:.2f} ms per call")
    for label, head in CASES.items():
        took = per_call(head, calls)
        print(f"{label:38} {len(head):>7,} bytes {took * 1e3:7.2f} ms  {took / base:5.2f}x")
    print("the old regex on N processing instructions and no root (30 never finished):")
    for items in (14, 16, 18, 20):
        print(f"    N = {items}: {old_regex_seconds(items) * 1e3:9.1f} ms")


if __name__ == "__main__":
    main()
