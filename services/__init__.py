"""Services: the rules between handlers and storage.

A service owns its transactions and caches, takes the injected clock, and knows no
Telegram types. Handlers parse an update, call one service and render the answer.
"""
