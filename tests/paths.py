"""Where test data lives."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
RATES = FIXTURES / "rates"
# ../shared sits beside the repository, for developers and in CI alike.
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_PAGE = SHARED / "seed" / "timesca-page-2025-12-11.txt"
