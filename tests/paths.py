"""Where test data lives."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
RATES = FIXTURES / "rates"
# ../shared sits beside the repository, for developers and in CI alike.
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_PAGE = SHARED / "seed" / "timesca-page-2025-12-11.txt"


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
