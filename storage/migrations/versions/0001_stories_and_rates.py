"""stories and rates

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("per_usd", storage.columns.ExactDecimal(), nullable=False),
        sa.Column("change", storage.columns.ExactDecimal(), nullable=True),
        sa.Column("fetched", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rates")),
        sa.UniqueConstraint(
            "currency", "as_of", "source", name=op.f("uq_rates_currency_as_of_source")
        ),
    )
    with op.batch_alter_table("rates", schema=None) as batch_op:
        batch_op.create_index("ix_rates_currency_as_of", ["currency", "as_of"], unique=False)

    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fetched", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("countries", sa.String(length=128), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_stories_content_hash")),
        sa.UniqueConstraint("url", name=op.f("uq_stories_url")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index("ix_stories_published", ["published"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index("ix_stories_published")
    op.drop_table("stories")
    with op.batch_alter_table("rates", schema=None) as batch_op:
        batch_op.drop_index("ix_rates_currency_as_of")
    op.drop_table("rates")
