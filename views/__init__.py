"""Views: turn domain values into what people see.

Telegram HTML within the Bot API's limits (``telegram_html``), reply screens per command
group, inline keyboards, the digest and its layout, PNG charts and the CLI's plain text.
Views import core, storage's read-only DTOs, services' result types and locales; they send
nothing and open no session.
"""
