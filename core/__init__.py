"""Pure domain logic: no I/O, no Telegram, no database."""
