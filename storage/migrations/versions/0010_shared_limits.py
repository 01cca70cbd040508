"""send_budget, send_budget_chats, flood_buckets, seen_updates: limits shared by instances

The bot's processes (webhook instances, ``newsbot digest run-due``, ``newsbot fetch``)
share Telegram's limits through these tables on PostgreSQL; with REDIS_URL the same state
lives in Redis instead. On PostgreSQL one function per limit takes a slot or a token in
one round trip, on the database's clock (so instances' clocks never matter).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.columns

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Takes the next send slot of bot p_bot for chat p_chat, or says how long to wait.
# A slot is only taken when the chat may be written to by then (no hole is reserved in
# the bot's schedule for a chat that must wait anyway) and it lies at most p_horizon
# seconds ahead; otherwise nothing changes and the caller retries after ``wait``.
_TAKE_SLOT = """
CREATE FUNCTION newsbot_take_send_slot(
    p_bot text, p_chat bigint, p_interval float8, p_chat_interval float8,
    p_chat_tolerance float8, p_horizon float8,
    OUT taken boolean, OUT wait float8, OUT chat_busy boolean)
LANGUAGE plpgsql AS $$
DECLARE
    now_ float8 := extract(epoch FROM clock_timestamp());
    g_next float8;
    g_pause float8;
    c_next float8;
    c_free float8;
    slot float8;
BEGIN
    SELECT next_at, paused_until INTO g_next, g_pause
        FROM send_budget WHERE bot = p_bot FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO send_budget (bot, next_at, paused_until) VALUES (p_bot, 0, 0)
            ON CONFLICT (bot) DO NOTHING;
        SELECT next_at, paused_until INTO g_next, g_pause
            FROM send_budget WHERE bot = p_bot FOR UPDATE;
    END IF;
    c_next := 0;
    c_free := 0;
    IF p_chat_interval > 0 THEN
        SELECT next_at INTO c_next FROM send_budget_chats
            WHERE bot = p_bot AND chat_id = p_chat;
        c_next := coalesce(c_next, 0);
        -- A chat may run up to p_chat_tolerance seconds ahead of its schedule (a burst).
        c_free := c_next - p_chat_tolerance;
        IF c_free > now_ + p_horizon THEN
            taken := false; wait := c_free - now_ - p_horizon; chat_busy := true;
            RETURN;
        END IF;
    END IF;
    slot := greatest(now_, g_next, g_pause, c_free);
    IF slot > now_ + p_horizon THEN
        taken := false; wait := slot - now_ - p_horizon; chat_busy := false;
        RETURN;
    END IF;
    UPDATE send_budget SET next_at = slot + p_interval WHERE bot = p_bot;
    IF p_chat_interval > 0 THEN
        INSERT INTO send_budget_chats (bot, chat_id, next_at)
            VALUES (p_bot, p_chat, greatest(c_next, slot) + p_chat_interval)
            ON CONFLICT (bot, chat_id) DO UPDATE SET next_at = excluded.next_at;
    END IF;
    taken := true; wait := slot - now_; chat_busy := false;
END
$$;
"""
# One chat's flood bucket (handlers.flood): 'pass', 'throttle' or 'ignore'.
_FLOOD_CHECK = """
CREATE FUNCTION newsbot_flood_check(
    p_bot text, p_key bigint, p_burst float8, p_per_second float8, p_pause float8)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    now_ float8 := extract(epoch FROM clock_timestamp());
    b_tokens float8;
    b_seen float8;
    b_paused float8;
BEGIN
    SELECT tokens, seen, paused_until INTO b_tokens, b_seen, b_paused
        FROM flood_buckets WHERE bot = p_bot AND chat_key = p_key FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO flood_buckets (bot, chat_key, tokens, seen, paused_until)
            VALUES (p_bot, p_key, p_burst - 1, now_, NULL)
            ON CONFLICT (bot, chat_key) DO NOTHING;
        IF FOUND THEN
            RETURN 'pass';
        END IF;
        SELECT tokens, seen, paused_until INTO b_tokens, b_seen, b_paused
            FROM flood_buckets WHERE bot = p_bot AND chat_key = p_key FOR UPDATE;
    END IF;
    IF b_paused IS NOT NULL THEN
        IF now_ < b_paused THEN
            UPDATE flood_buckets SET seen = now_ WHERE bot = p_bot AND chat_key = p_key;
            RETURN 'ignore';
        END IF;
        b_tokens := p_burst;
    ELSE
        b_tokens := least(p_burst, b_tokens + greatest(0, now_ - b_seen) * p_per_second);
    END IF;
    IF b_tokens >= 1 THEN
        UPDATE flood_buckets SET tokens = b_tokens - 1, seen = now_, paused_until = NULL
            WHERE bot = p_bot AND chat_key = p_key;
        RETURN 'pass';
    END IF;
    UPDATE flood_buckets SET tokens = 0, seen = now_, paused_until = now_ + p_pause
        WHERE bot = p_bot AND chat_key = p_key;
    RETURN 'throttle';
END
$$;
"""


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("bot", sa.String(length=64), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bot", name=op.f("pk_send_budget")),
    )
    op.create_table(
        "send_budget_chats",
        sa.Column("bot", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bot", "chat_id", name=op.f("pk_send_budget_chats")),
    )
    op.create_table(
        "flood_buckets",
        sa.Column("bot", sa.String(length=64), nullable=False),
        sa.Column("chat_key", sa.BigInteger(), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("seen", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("bot", "chat_key", name=op.f("pk_flood_buckets")),
    )
    op.create_index(op.f("ix_flood_buckets_seen"), "flood_buckets", ["seen"])
    op.create_table(
        "seen_updates",
        sa.Column("bot", sa.String(length=64), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("seen", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot", "update_id", name=op.f("pk_seen_updates")),
    )
    op.create_index(op.f("ix_seen_updates_seen"), "seen_updates", ["seen"])
    if op.get_bind().dialect.name == "postgresql":
        # Unlogged: no write-ahead log, so a send does not wait for a disk flush (9 ms of
        # the 10 a slot cost when logged). After a database crash these tables are empty,
        # which only forgets a few seconds of limits.
        for table in ("send_budget", "send_budget_chats", "flood_buckets", "seen_updates"):
            op.execute(f"ALTER TABLE {table} SET UNLOGGED")
        op.execute(_TAKE_SLOT)
        op.execute(_FLOOD_CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION newsbot_flood_check(text, bigint, float8, float8, float8)")
        op.execute(
            "DROP FUNCTION newsbot_take_send_slot(text, bigint, float8, float8, float8, float8)"
        )
    op.drop_index(op.f("ix_seen_updates_seen"), table_name="seen_updates")
    op.drop_table("seen_updates")
    op.drop_index(op.f("ix_flood_buckets_seen"), table_name="flood_buckets")
    op.drop_table("flood_buckets")
    op.drop_table("send_budget_chats")
    op.drop_table("send_budget")
