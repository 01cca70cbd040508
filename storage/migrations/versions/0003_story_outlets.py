"""stories: how many outlets reported each story, and which

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Server defaults fill the rows already stored: each was reported by one outlet.
    op.add_column("stories", sa.Column("outlets", sa.Integer(), server_default="1", nullable=False))
    op.add_column(
        "stories",
        sa.Column("also_reported", sa.String(length=512), server_default="", nullable=False),
    )


def downgrade() -> None:
    # SQLite cannot drop columns in place; batch mode copies the table.
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("also_reported")
        batch.drop_column("outlets")
