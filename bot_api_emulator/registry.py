"""The table of Bot API methods the emulator answers, filled by the modules that answer them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot_api_emulator.params import Params
from bot_api_emulator.state import TelegramState

Method = Callable[[TelegramState, Params], Any]
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    """Register a function as the answer to Bot API method ``name``."""

    def register(function: Method) -> Method:
        METHODS[name.lower()] = function
        return function

    return register
