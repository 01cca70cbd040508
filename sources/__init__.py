"""Bringing data in: page, feed, JSON Lines and central-bank parsers, and the ingest pipeline."""
