"""Rate alerts: when an alert fires and when it re-arms (pure rules, no I/O).

An alert watches the official rate of a pair (units of ``quote`` per 1 ``base``) against a
level, in one direction:

* ``above`` fires when the rate goes strictly above the level, ``below`` when it goes
  strictly below. It fires once per crossing and is then disarmed.
* A disarmed alert re-arms when the rate comes back past the level by ``REARM_MARGIN``
  (0.3 % of the level) the other way: ``above 520`` re-arms at 518.44 or lower. A rate
  hovering at the level therefore fires once, not every day.
* An alert set while the rate is already past its level starts disarmed: there was no
  crossing yet, only a rate on the far side.
* A run of several new days is read day by day in date order; when it holds more than
  one crossing (a backlog of days imported at once), only the last one is reported, since
  its message carries the newest rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Direction = Literal["above", "below"]
DIRECTIONS: tuple[Direction, ...] = ("above", "below")

# How far back past the level the rate must come before the alert may fire again.
REARM_MARGIN = Decimal("0.003")
# A level more than this share away from the current rate is refused as a typo
# (520 typed as 5200, or a sum level set on the tenge).
MAX_DISTANCE = Decimal("0.5")
MAX_ALERTS_PER_CHAT = 10


@dataclass(frozen=True, slots=True)
class DatedRate:
    """The official rate of a pair on one day, and who published it."""

    as_of: date
    rate: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run of new days did to an alert.

    Attributes:
        armed: Whether the alert may fire on the next crossing.
        crossing: The last day whose rate crossed the level, or None.
        crossings: How many crossings the run held.
    """

    armed: bool
    crossing: DatedRate | None
    crossings: int


def is_past(direction: Direction, level: Decimal, rate: Decimal) -> bool:
    """Whether ``rate`` is on the far side of ``level`` (the side the alert waits for)."""
    return rate > level if direction == "above" else rate < level


def rearm_line(direction: Direction, level: Decimal) -> Decimal:
    """The rate the pair must come back to before an alert that fired may fire again."""
    if direction == "above":
        return level * (1 - REARM_MARGIN)
    return level * (1 + REARM_MARGIN)


def is_back(direction: Direction, level: Decimal, rate: Decimal) -> bool:
    """Whether ``rate`` has come back past the re-arm line."""
    line = rearm_line(direction, level)
    return rate <= line if direction == "above" else rate >= line


def starts_armed(direction: Direction, level: Decimal, rate: Decimal) -> bool:
    """Whether an alert set now, at ``rate``, waits for a crossing (not already past)."""
    return not is_past(direction, level, rate)


def direction_towards(level: Decimal, rate: Decimal) -> Direction:
    """The direction of a level named without one: up when it lies above the rate."""
    return "below" if level < rate else "above"


def is_too_far(level: Decimal, rate: Decimal) -> bool:
    """Whether ``level`` lies more than ``MAX_DISTANCE`` away from the current ``rate``."""
    return rate > 0 and abs(level - rate) > rate * MAX_DISTANCE


def follow_rates(
    direction: Direction, level: Decimal, armed: bool, rates: Iterable[DatedRate]
) -> Outcome:
    """Run an alert over new days of its pair's rate, oldest first.

    Args:
        direction: ``above`` or ``below``.
        level: The level the alert watches.
        armed: Whether it may fire before the first of ``rates``.
        rates: The pair's official rate on each new day, in date order.

    Returns:
        Whether it is armed afterwards, and the last crossing (with how many there were).
    """
    last: DatedRate | None = None
    count = 0
    for day_rate in rates:
        if armed and is_past(direction, level, day_rate.rate):
            armed, last, count = False, day_rate, count + 1
        elif not armed and is_back(direction, level, day_rate.rate):
            armed = True
    return Outcome(armed, last, count)
