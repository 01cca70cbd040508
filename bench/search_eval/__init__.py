"""The search evaluation set and the corpus it is labelled against (see README.md)."""
