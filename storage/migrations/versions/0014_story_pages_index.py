"""stories: one index on (edition_of, published) for the pages of newest stories

The pages of /news and a country's brief read first editions (``edition_of IS NULL``)
newest first. With an index on ``edition_of`` alone the database found the first
editions through it and sorted them all for every page; on both columns it reads them
already in order. The new index serves every lookup by ``edition_of`` too, so the old
one goes.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_stories_edition_published", "stories", ["edition_of", "published"])
    op.drop_index("ix_stories_edition_of", table_name="stories")


def downgrade() -> None:
    op.create_index("ix_stories_edition_of", "stories", ["edition_of"])
    op.drop_index("ix_stories_edition_published", table_name="stories")
