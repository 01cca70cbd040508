"""topics, topic_state: topics chats follow, and how far matching has read the stories

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("words", sa.String(length=128), nullable=False),
        sa.Column("countries", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chats.id"], name=op.f("fk_topics_chat_id_chats"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint(
            "chat_id", "words", "countries", name=op.f("uq_topics_chat_id_words_countries")
        ),
    )
    op.create_index(op.f("ix_topics_chat_id"), "topics", ["chat_id"], unique=False)
    op.create_table(
        "topic_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_story_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_topic_state")),
    )


def downgrade() -> None:
    op.drop_table("topic_state")
    op.drop_index(op.f("ix_topics_chat_id"), table_name="topics")
    op.drop_table("topics")
