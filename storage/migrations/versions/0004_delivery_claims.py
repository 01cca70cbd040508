"""deliveries: claim token, lease, attempts and a not-before time; indexes for due passes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode on SQLite copies the table; rows already stored keep their status and get
    # zero attempts and no lease (a "claimed" row without a lease is reclaimed at once).
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("lease_until", storage.columns.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("not_before", storage.columns.UTCDateTime(timezone=True), nullable=True)
        )
        batch.create_index("ix_deliveries_status", ["status"])
    op.create_index("ix_subscriptions_active_local_time", "subscriptions", ["active", "local_time"])


def downgrade() -> None:
    op.drop_index("ix_subscriptions_active_local_time", table_name="subscriptions")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_status")
        batch.drop_column("not_before")
        batch.drop_column("lease_until")
        batch.drop_column("claim_token")
        batch.drop_column("attempts")
