"""The process: settings, the CLI, the Telegram Application and how it runs (polling or
webhook, the HTTP server, the background jobs and the digest and notice passes)."""
