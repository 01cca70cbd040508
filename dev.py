#!/usr/bin/env python3
"""Set up a virtual environment and run the bot or the tests: ``python3 dev.py run|test|lint|i18n``.

``run`` starts the Telegram bot when BOT_TOKEN is set (environment or ``.env``) and the
terminal chat on demo data when it is not. ``test`` runs pytest with the arguments given;
``test --fast`` leaves out the slow tests, those that start processes of their own. ``i18n``
extracts the strings marked with ``_()`` into ``locales/newsbot.pot`` and merges them into
every language's ``newsbot.po``.

Needs only Python 3.11+. The environment lives in ``.venv`` and is refreshed when
``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def _python() -> str:
    return str(BIN / "python")


def ensure_venv() -> None:
    """Create ``.venv`` and install the project with its dev tools when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("newsbot needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("installing dependencies into .venv ...", flush=True)
    pip = [_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def token_configured() -> bool:
    """Whether BOT_TOKEN is set in the environment or in ``.env`` (as the bot reads it)."""
    if os.environ.get("BOT_TOKEN", "").strip():
        return True
    env_file = ROOT / ".env"
    if not env_file.is_file():
        return False
    for line in env_file.read_text(encoding="utf-8", errors="replace").splitlines():
        name, _, value = line.strip().removeprefix("export ").partition("=")
        if name.strip() == "BOT_TOKEN" and value.strip().strip("'\"").strip():
            return True
    return False


def update_catalogs(languages: list[str]) -> int:
    """Extract the marked strings and merge them into the catalogs (all, or those named)."""
    pybabel = str(BIN / "pybabel")
    template = ROOT / "locales" / "newsbot.pot"
    extract = [pybabel, "extract", "-F", "babel.cfg", "-k", "_", "-k", "ngettext:1,2"]
    extract += ["-k", "N_", "--sort-output", "--no-wrap", "-o", str(template), "."]
    extract += ["--project", "newsbot", "--version", "0.1"]
    extract += ["--copyright-holder", "the newsbot team", "--msgid-bugs-address", "the maintainers"]
    if subprocess.call(extract, cwd=ROOT):
        return 1
    # The languages are the catalogs that exist: a new one starts with `pybabel init`.
    names = languages or sorted(
        path.parent.parent.name for path in (ROOT / "locales").glob("*/LC_MESSAGES/newsbot.po")
    )
    update = [pybabel, "update", "-i", str(template), "-d", "locales", "-D", "newsbot"]
    # No fuzzy guesses: a new string stays untranslated (and fails the catalog test) until
    # someone translates it, instead of shipping a near-miss translation.
    update += ["--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching"]
    return max((subprocess.call([*update, "-l", name], cwd=ROOT) for name in names), default=0)


def pytest_command(args: list[str]) -> list[str]:
    """The pytest call of ``test``: ``--fast`` leaves out the tests marked ``slow``."""
    rest = [arg for arg in args if arg != "--fast"]
    # The slow tests (they start processes of their own) are marked in tests/conftest.py.
    fast = ["-m", "not slow"] if len(rest) < len(args) else []
    return [_python(), "-m", "pytest", *fast, *rest]


def main(argv: list[str]) -> int:
    """Dispatch ``run``, ``test``, ``lint`` or ``i18n``; extra arguments go to the tool."""
    if not argv or argv[0] not in ("run", "test", "lint", "i18n"):
        print(__doc__.strip().splitlines()[0])
        return 2
    ensure_venv()
    what, rest = argv[0], argv[1:]
    if what == "run":
        # Without a token there is no Telegram to talk to: chat with the bot in the terminal.
        command = "run" if token_configured() else "chat"
        return subprocess.call([str(BIN / "newsbot"), command, *rest], cwd=ROOT)
    if what == "i18n":
        return update_catalogs(rest)
    if what == "test":
        return subprocess.call(pytest_command(rest), cwd=ROOT)
    checks = [
        [_python(), "-m", "ruff", "check", "."],
        [_python(), "-m", "ruff", "format", "--check", "."],
        [_python(), "-m", "mypy"],
    ]
    return max(subprocess.call(check, cwd=ROOT) for check in checks)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
