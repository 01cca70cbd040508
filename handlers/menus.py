"""The command menu Telegram shows beside the input field, once per language."""

from __future__ import annotations

from telegram import Bot

from handlers.start import command_menu
from locales import DEFAULT_LANGUAGE, LANGUAGES, in_language


async def set_command_menus(bot: Bot) -> None:
    """Set the default (English) menu, then one per other language (``language_code``).

    Telegram shows a person the menu of their app's language and the default one to
    everybody else, so the English menu is the one without a language code.
    """
    with in_language(DEFAULT_LANGUAGE):
        await bot.set_my_commands(command_menu())
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        with in_language(lang):
            await bot.set_my_commands(command_menu(), language_code=lang)
