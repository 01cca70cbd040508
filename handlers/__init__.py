"""Telegram command handlers: parse an update, call one service, render the reply through views."""
