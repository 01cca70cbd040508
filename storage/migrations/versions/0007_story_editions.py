"""stories: the same story in another language from the same outlet (edition_of)

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Stories stored before stay first editions of their own.
    op.add_column("stories", sa.Column("edition_of", sa.Integer(), nullable=True))
    op.create_index("ix_stories_edition_of", "stories", ["edition_of"])


def downgrade() -> None:
    op.drop_index("ix_stories_edition_of", table_name="stories")
    # SQLite cannot drop columns in place; batch mode copies the table.
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("edition_of")
