"""bot.heap: what warm_index freezes, thaw hands back to the collector."""

from __future__ import annotations

import gc

from bot.heap import freeze_long_lived, thaw


def test_thaw_undoes_the_freeze() -> None:
    try:
        freeze_long_lived()
        assert gc.get_freeze_count() > 0
    finally:
        thaw()
    assert gc.get_freeze_count() == 0


def test_thaw_without_a_freeze_does_nothing() -> None:
    thaw()
    assert gc.get_freeze_count() == 0
