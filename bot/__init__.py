"""Application wiring: settings, CLI and (later) the Telegram Application."""
