"""alerts: a chat's rate alerts, their armed state and the newest rate date they saw

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("level", storage.columns.ExactDecimal(), nullable=False),
        sa.Column("armed", sa.Boolean(), nullable=False),
        sa.Column("set_rate", storage.columns.ExactDecimal(), nullable=False),
        sa.Column("set_as_of", sa.Date(), nullable=False),
        sa.Column("seen_as_of", sa.Date(), nullable=False),
        sa.Column("fired", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_chat_id"), "alerts", ["chat_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_alerts_chat_id"), table_name="alerts")
    op.drop_table("alerts")
