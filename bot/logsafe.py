"""Keeping secrets out of every log record, whichever logger or handler writes it.

httpx logs each request URL, and Bot API URLs contain the token
(``https://api.telegram.org/bot<token>/getMe``); exception texts can too. Redacting
at record creation (a log record factory) covers every logger and every handler,
including ones added later, such as a test's capture handler.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

REDACTED = "[REDACTED]"
_secrets: set[str] = set()
_installed = False


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[REDACTED]``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        message = str(record.msg)
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[0] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        if redact(text) != text:
            # Formatters reuse exc_text instead of formatting the exception again.
            record.exc_text = redact(text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def protect_secret(secret: str) -> None:
    """Never let ``secret`` (or its URL-encoded form) appear in a log record from now on."""
    global _installed
    if not secret:
        return
    _secrets.update({secret, quote(secret, safe="")})
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if _secrets:
            _scrub(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
