"""Where test data lives, and the one gate for data that sits outside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
RATES = FIXTURES / "rates"
# ../shared sits beside the repository for the team and in CI, not in a newcomer's clone.
SHARED = Path(__file__).resolve().parents[2] / "shared"
# .ci/run sets this for its main run, where ../shared must be present: a missing folder
# there is an error, not a quiet skip.
REQUIRE_SHARED = "NEWSBOT_REQUIRE_SHARED"


def shared_file(*parts: str) -> Path:
    """The path of a file under ``../shared``; skip the calling test when it is absent.

    With ``NEWSBOT_REQUIRE_SHARED=1`` (CI's main run) a missing file fails the test instead.
    """
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    reason = f"needs ../shared/{'/'.join(parts)} beside the repository"
    if os.environ.get(REQUIRE_SHARED) == "1":
        pytest.fail(f"{reason} ({REQUIRE_SHARED}=1)")
    pytest.skip(reason)


def seed_page() -> Path:
    """The real news page the project grew from (other people's text: never copied here)."""
    return shared_file("seed", "timesca-page-2025-12-11.txt")


def head_revision() -> str:
    """The newest Alembic revision shipped in storage/migrations."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from storage.database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
