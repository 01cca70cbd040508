"""When a slot of the shared send budget comes, on this process's own clock.

The store (PostgreSQL or Redis) sets every slot on its own clock, and every process of the
bot must send at that moment: Telegram counts the messages of any second, whichever
process sent them. A slot is answered as "``wait`` seconds after the store's now". Reading
it as "``wait`` seconds after the answer was read" would add, to every send, however long
the answer lay unread (a busy event loop, a slow connection), and those delays differ
from process to process: two sends a slot apart could reach Telegram together.

So each answer also gives the store's clock, and ``StoreClock`` keeps the offset between
the two clocks, taken from the quickest recent round trips (the store read its clock at
some moment between asking and reading the answer; the quicker the round trip, the less
room for doubt, as NTP reasons). A slot is then placed on the local clock to within half
the quickest round trip, and never outside what this answer's own round trip allows.
"""

from __future__ import annotations

from collections import deque

# Offsets older than this are dropped: clocks drift, and a wall clock may be stepped.
KEEP_SECONDS = 30.0
SAMPLES = 64


class StoreClock:
    """The offset between the store's clock and a local monotonic clock."""

    def __init__(self, keep: float = KEEP_SECONDS, samples: int = SAMPLES) -> None:
        self.keep = keep
        # (local time read, round trip, store's clock minus the local clock at mid-trip)
        self._samples: deque[tuple[float, float, float]] = deque(maxlen=samples)

    def slot_at(self, asked: float, answered: float, store_now: float | None, wait: float) -> float:
        """The local moment of a slot ``wait`` seconds after ``store_now``.

        Args:
            asked: Local clock when the request left.
            answered: Local clock when the answer was read.
            store_now: The store's clock in its answer; None when it gave none.
            wait: Seconds from the store's now to the slot.
        """
        earliest, latest = asked + wait, answered + wait
        if store_now is None:
            return latest
        self._samples.append((answered, answered - asked, store_now - (asked + answered) / 2))
        while self._samples and self._samples[0][0] < answered - self.keep:
            self._samples.popleft()
        _, _, offset = min(self._samples, key=lambda sample: sample[1])
        # The store answered between asking and reading: the slot lies in that window, whatever
        # the offset says (a wall clock stepped meanwhile, a stale sample).
        return min(max(store_now + wait - offset, earliest), latest)
