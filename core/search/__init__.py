"""Full-text search over stories: analysis, fuzzy term matching and field-aware ranking.

Pure domain code: the engine keeps compact postings of story ids and never the texts; the
store (``storage.story_index``) feeds it and turns the ids it returns back into stories.
"""

from core.search.engine import ScoredId, SearchDoc, SearchEngine

__all__ = ["ScoredId", "SearchDoc", "SearchEngine"]
