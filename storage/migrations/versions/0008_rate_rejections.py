"""rate_rejections: rate figures held back as implausible, with the reason

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("figure", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("previous_figure", sa.String(length=64), nullable=True),
        sa.Column("previous_as_of", sa.Date(), nullable=True),
        sa.Column("rejected", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_rejections")),
        sa.UniqueConstraint(
            "currency", "as_of", "source", name=op.f("uq_rate_rejections_currency_as_of_source")
        ),
    )
    op.create_index("ix_rate_rejections_rejected", "rate_rejections", ["rejected"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rate_rejections_rejected", table_name="rate_rejections")
    op.drop_table("rate_rejections")
