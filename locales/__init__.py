"""Gettext catalogs per language and their loader."""
