"""Keeping Python's cycle collector off the bot's long-lived objects.

Once ``newsbot run`` has built its search index, the process holds millions of objects
that live as long as it does (the index's words and postings, the Application, the
modules). Each full collection walks all of them: about 110 ms with 10,000 stories
indexed, once every 1,600 or so updates, a pause that answers nothing. ``gc.freeze``
moves every object alive at that moment out of the collector's sight; objects made later
are collected as before, and a frozen object is still freed as soon as nothing refers
to it. Only cycles among frozen objects wait: ``thaw`` hands them back when the bot stops,
so a process that starts and stops bots (tests, the benches) does not keep them.

Process-wide, so called only by what owns the process's life: ``newsbot run``, and the
bench that measures what it does.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect what is garbage now, then keep the collector off every object still alive."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Put the frozen objects back in the collector's care (no-op when nothing is frozen)."""
    gc.unfreeze()
