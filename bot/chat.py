"""``newsbot chat``: the real bot in the terminal, through the in-process Bot API emulator.

No token and no network: the Application is the one ``newsbot run`` serves, but its Bot API
calls are answered by :class:`bot_api_emulator.BotApiEmulator`. A line typed is a message; a
number presses a button of the last keyboard (or sends an inline result); ``@ query`` is
inline mode. When standard input is not a terminal every line is one message, so
``printf '/rates\\n/news\\n' | newsbot chat`` works in scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from bot.app import build_application, lift_flood_limit
from bot.demo import load_demo_if_empty
from bot.settings import Settings
from bot.store import open_store
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.chats import ChatDriver
from bot_api_emulator.console import ChatConsole, ConsoleWords
from locales import DEFAULT_LANGUAGE, _, in_language, supported_language

PERSON_ID = 100001


def _help() -> str:
    return _(
        "Type a message or a command (/start, /help). A number presses that button; "
        "'@ 100 usd kzt' uses inline mode. End with Ctrl-D."
    )


def console_words() -> ConsoleWords:
    """The console's labels in the running language."""
    return ConsoleWords(
        bot=_("bot"),
        bot_edited=_("bot (edited)"),
        photo_saved=_("[photo saved to {path}]"),
        no_results=_("(no inline results)"),
        results=_("inline results"),
    )


class ChatSession:
    """One person talking to the bot: turns typed lines into updates and prints the answers."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        chat: ChatDriver,
        view: ChatConsole,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.emulator = emulator
        self.chat = chat
        self.view = view
        self.language = language  # of the program's own notes; the bot picks its own

    async def handle_line(self, line: str) -> None:
        """Act on one typed line."""
        text = line.strip()
        if not text:
            return  # Telegram cannot send an empty message either
        if text.isdigit() and self._is_choice(int(text)):
            await self._choose(int(text))
        elif text.startswith("@") and (text == "@" or text[1:2].isspace()):
            await self._inline(text[1:].strip())
        else:
            self.view.show_messages(await self.chat.send(text))

    def _is_choice(self, number: int) -> bool:
        pool = len(self.view.results) or len(self.view.choices)
        return 1 <= number <= pool

    async def _inline(self, query: str) -> None:
        self.view.show_results(await self.chat.inline(query))

    async def _choose(self, number: int) -> None:
        if self.view.results:
            result = self.view.results[number - 1]
            shown, replies = await self.chat.send_inline_result(result)
            with in_language(self.language):
                you = _("you (via @{bot})").format(bot=self.emulator.username)
            self.view.note(f"{you} › {shown}")
            self.view.show_messages(replies)
            return
        message, button = self.view.choices[number - 1]
        if button.url is not None:
            with in_language(self.language):
                note = _("link: {url} (open it in a browser)").format(url=button.url)
            self.view.note(note)
            return
        if button.switch_inline_query_current_chat is not None:
            await self._inline(button.switch_inline_query_current_chat)
            return
        answered = len(self.emulator.callback_answers)
        replies = await self.chat.press(message, button.text)
        for answer in self.emulator.callback_answers[answered:]:
            if answer.get("text"):
                self.view.note(f"({answer['text']})")
        self.view.show_messages(replies)


async def _next_line(source: TextIO, interactive: bool, console: Console, you: str) -> str | None:
    """The next line typed, or None at end of input."""
    if interactive:
        try:
            return await asyncio.to_thread(console.input, f"[bold cyan]{escape(you)} ›[/] ")
        except EOFError:
            return None
    # A thread, so a slow pipe never stalls the bot's event loop.
    line = await asyncio.to_thread(source.readline)
    return line or None


async def run_chat(
    settings: Settings,
    *,
    language: str | None = None,
    source: TextIO | None = None,
    console: Console | None = None,
    photo_dir: Path | None = None,
) -> int:
    """Chat with the bot until end of input; return the exit code.

    Args:
        settings: Database and defaults (BOT_TOKEN is not needed and not used for network).
        language: The simulated person's Telegram ``language_code``; the program's own
            prompts and notes are in it too (English when it is none of the seven).
        source: Where lines come from (standard input by default).
        console: Where the chat is printed (standard output by default).
        photo_dir: Where photos the bot sends are saved (a new temporary folder by default).
    """
    source = source or sys.stdin
    interactive = source.isatty()
    own = supported_language(language) or DEFAULT_LANGUAGE
    with in_language(own):
        you, words = _("you"), console_words()
        loaded_note = _("The store was empty: loaded the demo stories and rates.")
    # Piped output is not wrapped at 80 columns: scripts read whole lines.
    console = console or Console(highlight=False, soft_wrap=not interactive)
    async with open_store(settings) as sessions:
        loaded = await load_demo_if_empty(sessions)
    if loaded.loaded:  # only ever into a store with no stories and no rates
        console.print(Text(loaded_note, style="dim"))
    # PTB narrates its start and stop at INFO; in a chat that is only noise.
    logging.getLogger("telegram").setLevel(logging.WARNING)
    emulator = BotApiEmulator()
    app = lift_flood_limit(build_application(settings, request=emulator.request()))
    folder = photo_dir or Path(tempfile.mkdtemp(prefix="newsbot-chat-"))
    view = ChatConsole(console, folder, words)
    # The line per update is for operators; between a question and its answer it is noise.
    update_log = logging.getLogger("newsbot.updates")
    level = update_log.level
    if settings.log_level != "DEBUG":
        update_log.setLevel(logging.WARNING)
    try:
        async with emulator.serve(app):
            person = emulator.user(PERSON_ID, "You", language_code=language)
            chat = emulator.private_chat(person)
            session = ChatSession(emulator, chat, view, own)
            if interactive:
                with in_language(own):
                    hello = _("Chatting with @{bot} (offline).").format(bot=emulator.username)
                    console.print(Text(f"{hello} {_help()}", style="dim"))
            while (line := await _next_line(source, interactive, console, you)) is not None:
                if not interactive and line.strip():
                    # Echo piped input so the transcript reads like a chat.
                    console.print(Text(f"{you} › ", style="bold cyan") + Text(line.strip()))
                await session.handle_line(line)
    finally:
        update_log.setLevel(level)
    return 0


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """``newsbot chat``: talk to the bot in the terminal, no token and no network."""
    return await run_chat(settings, language=args.lang)
