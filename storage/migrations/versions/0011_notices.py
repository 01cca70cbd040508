"""notices: messages features owe to chats (rate alerts, followed topics), sent once

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notices_dedupe_key")),
    )
    op.create_index(op.f("ix_notices_chat_id"), "notices", ["chat_id"])
    op.create_index("ix_notices_kind_status", "notices", ["kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_notices_kind_status", table_name="notices")
    op.drop_index(op.f("ix_notices_chat_id"), table_name="notices")
    op.drop_table("notices")
