"""The one-way import rule between the project's packages, checked on the source.

Every import counts: at module level, inside functions (the lazy ones), and under
``TYPE_CHECKING``, since a type-only import still ties one layer to another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each package may import of the others (the layer diagram in docs/architecture.md):
# bot → handlers → views → services → core, storage, sources, locales. Handlers reach the
# store only through services; views may read storage's frozen DTOs to render them.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "bot": frozenset(
        {
            "handlers",
            "views",
            "services",
            "sources",
            "storage",
            "core",
            "locales",
            "bot_api_emulator",
        }
    ),
    "handlers": frozenset({"views", "services", "core", "locales"}),
    "views": frozenset({"services", "sources", "storage", "core", "locales"}),
    "services": frozenset({"sources", "storage", "core", "locales"}),
    "sources": frozenset({"storage", "core"}),
    "storage": frozenset({"core"}),
    "core": frozenset(),
    "locales": frozenset(),
    "bot_api_emulator": frozenset(),
}


# Libraries a package must not use: the domain stays pure, and below views nothing knows
# Telegram or draws.
MAY_NOT_USE: dict[str, frozenset[str]] = {
    "core": frozenset({"telegram", "matplotlib", "sqlalchemy", "httpx", "aiohttp"}),
    "storage": frozenset({"telegram", "matplotlib"}),
    "sources": frozenset({"telegram", "matplotlib"}),
    "services": frozenset({"telegram", "matplotlib"}),
}


def imported_packages(path: Path, names: frozenset[str] | None = None) -> set[tuple[str, int]]:
    """The top-level packages among ``names`` (the project's by default) that ``path``
    imports, each with the line of its first import."""
    wanted = MAY_IMPORT.keys() if names is None else names
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in wanted:
                found.setdefault(top, node.lineno)
    return set(found.items())


def test_every_package_is_listed() -> None:
    """A new top-level package must be placed in the diagram before it can be imported."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(MAY_IMPORT)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_imports_run_one_way(package: str) -> None:
    """No module imports a package above its own layer."""
    allowed = MAY_IMPORT[package] | {package}
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for target, line in imported_packages(path)
        if target not in allowed
    ]
    assert wrong == []


@pytest.mark.parametrize("package", sorted(MAY_NOT_USE))
def test_lower_layers_use_no_telegram_nor_drawing(package: str) -> None:
    """core knows no Telegram, database or network; below views nothing sends or draws."""
    banned = MAY_NOT_USE[package]
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for target, line in imported_packages(path, banned)
    ]
    assert wrong == []


def test_the_checker_sees_lazy_and_type_only_imports(tmp_path: Path) -> None:
    """The rule would be toothless if imports inside functions or TYPE_CHECKING escaped it."""
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from handlers.context import Services\n"
        "def f():\n    import bot.run\n"
    )
    assert {target for target, _ in imported_packages(module)} == {"handlers", "bot"}
