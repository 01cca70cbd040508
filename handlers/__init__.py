"""Telegram command handlers: parse an update, call core/storage, render a reply."""
