"""Full-text search over stories: analysis, fuzzy term matching and field-aware ranking.

Pure domain code: the engine keeps compact postings of story ids and never the texts; the
store (``services.story_index``) feeds it and turns the ids it returns back into stories.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.search.engine import ScoredId, SearchDoc, SearchEngine

__all__ = ["ScoredId", "SearchDoc", "SearchEngine"]


def __getattr__(name: str) -> Any:
    # The engine (and numpy under it) loads on first use, not with the analysis modules:
    # `newsbot run` matches topics with the analysis alone and builds the index after
    # polling has started.
    if name in __all__:
        from core.search import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'core.search' has no attribute {name!r}")
