"""SQLAlchemy 2.0 typed models: the tables of the store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.types import MAX_SOURCE_CHARS, MAX_URL_CHARS
from storage.columns import ExactDecimal, UTCDateTime

# Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING)


class StoryRow(Base):
    """A news story. ``url`` is canonical and unique when present."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str | None] = mapped_column(String(MAX_URL_CHARS), unique=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    lang: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(MAX_SOURCE_CHARS))
    # ISO codes, comma-separated, main country first ("KZ,RU").
    countries: Mapped[str] = mapped_column(String(128), default="")
    # sha256 of the normalised title and body: finds the same story without a URL.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # How many outlets carried this story (itself included), and the other outlets'
    # source names, comma-separated: the same news from two feeds is kept once.
    # Server defaults only, so plain inserts name neither column.
    outlets: Mapped[int] = mapped_column(Integer, server_default="1")
    also_reported: Mapped[str] = mapped_column(String(512), server_default="")
    # The id of the same story in another language from the same outlet, stored first:
    # lists show one item per story (``core.editions``). None for the first edition.
    edition_of: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_stories_published", "published"),
        # Pages of first editions newest first, and lookups of a story's editions.
        Index("ix_stories_edition_published", "edition_of", "published"),
    )


class RateRow(Base):
    """Units of a currency per 1 USD on one day from one source."""

    __tablename__ = "rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))
    per_usd: Mapped[Decimal] = mapped_column(ExactDecimal)
    change: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    fetched: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    __table_args__ = (
        UniqueConstraint("currency", "as_of", "source"),
        Index("ix_rates_currency_as_of", "currency", "as_of"),
    )


class ChatRow(Base):
    """A Telegram chat the bot talks to, with its preferences."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), default="private")
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Set when Telegram says the bot was blocked or the chat is gone.
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class SubscriptionRow(Base):
    """A chat's daily digest: local time of day and countries."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), unique=True)
    local_time: Mapped[str] = mapped_column(String(5), default="09:00")
    countries: Mapped[str] = mapped_column(String(64), default="KZ,KG,UZ,TJ,TM")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    # The due query reads active subscriptions whose local time has passed.
    __table_args__ = (Index("ix_subscriptions_active_local_time", "active", "local_time"),)


class DeliveryRow(Base):
    """One digest for one subscription and local date: claimed, then sent.

    ``status`` is claimed (a sender holds it until ``lease_until``), pending (put back,
    retried from ``not_before``), sent or failed. ``claim_token`` names the holder, so a
    sender whose lease ran out cannot mark a delivery another sender took over.
    """

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("subscription_id", "local_date"),
        Index("ix_deliveries_status", "status"),
    )


class SourceStateRow(Base):
    """What the fetcher remembers about one source between runs."""

    __tablename__ = "source_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(256))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    last_success: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_reason: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_fetch: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobLeaseRow(Base):
    """Who runs a scheduled job (a fetch of one source, a digest pass) and until when.

    Several instances of the bot share one database; an instance runs a job only after
    taking its lease here, so each job runs once per period whatever the instance count.
    """

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ErrorEventRow(Base):
    """One failure of the bot (a handler or a background job), for the admin's /stats."""

    __tablename__ = "error_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    kind: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(100))


class RateRejectionRow(Base):
    """A rate figure held back as implausible, with why; never read as a rate.

    Kept apart from ``rates`` so no query for the current rate has to know about it.
    ``figure`` is text: a broken file's ``1e29`` need not fit a numeric column.
    ``kind`` is ``range`` or ``move``; a move names the earlier figure it was judged by.
    """

    __tablename__ = "rate_rejections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(8))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(64))
    figure: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    previous_figure: Mapped[str | None] = mapped_column(String(64))
    previous_as_of: Mapped[date | None] = mapped_column(Date)
    rejected: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    __table_args__ = (
        UniqueConstraint("currency", "as_of", "source"),
        Index("ix_rate_rejections_rejected", "rejected"),
    )


class SendBudgetRow(Base):
    """The next free send slot of a bot (epoch seconds on the database's clock) and the end
    of a pause Telegram asked for: one row per bot token, shared by all its processes."""

    __tablename__ = "send_budget"

    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)
    paused_until: Mapped[float] = mapped_column(Float)


class SendBudgetChatRow(Base):
    """When a chat may get its next message from the bot (epoch seconds, database clock)."""

    __tablename__ = "send_budget_chats"

    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class FloodBucketRow(Base):
    """One chat's flood bucket (handlers.flood), shared by the instances of a bot."""

    __tablename__ = "flood_buckets"

    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    seen: Mapped[float] = mapped_column(Float, index=True)
    paused_until: Mapped[float | None] = mapped_column(Float)


class SeenUpdateRow(Base):
    """An update_id some instance took: a second delivery of it is acknowledged, not handled."""

    __tablename__ = "seen_updates"

    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class TopicRow(Base):
    """A topic a chat follows: its words as typed (cleaned) and optional countries.

    Stopping (``/unfollow``, or Telegram's 403 for the chat) deletes the row or clears
    ``active``; the same words followed again make the row active again.
    """

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    words: Mapped[str] = mapped_column(String(128))
    # ISO codes, comma-separated; empty: any country.
    countries: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("chat_id", "words", "countries"),)


class TopicStateRow(Base):
    """How far topic matching has read the stories: the highest story id matched."""

    __tablename__ = "topic_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_story_id: Mapped[int] = mapped_column(Integer)


class NoticeRow(Base):
    """One message owed to a chat by a feature (a rate alert, a followed topic): sent once.

    ``dedupe_key`` is unique: whoever inserts it owns the notice, so two processes that
    notice the same event make one row. ``status`` is pending (waits, from ``not_before``),
    claimed (a sender holds it until ``lease_until``, named by ``claim_token``), sent,
    failed or dropped (the chat is gone, or its feature no longer wants it).
    """

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)

    # A pass looks for one kind's pending and claimed rows.
    __table_args__ = (Index("ix_notices_kind_status", "kind", "status"),)


class AlertRow(Base):
    """A chat's rate alert: ``quote`` per 1 ``base`` crossing ``level`` (``core.alerts``).

    No foreign key to ``chats``: a group that moves to a supergroup id keeps its alerts
    even when the digest's move deletes the old chat row first.
    ``seen_as_of`` is the newest rate date of either currency the alert has been checked
    against; ``fired`` counts crossings reported, so ``alert:<id>:<fired>`` names each one.
    """

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    direction: Mapped[str] = mapped_column(String(5))
    level: Mapped[Decimal] = mapped_column(ExactDecimal)
    armed: Mapped[bool] = mapped_column(Boolean)
    # The pair's rate when the alert was set, for "change since then".
    set_rate: Mapped[Decimal] = mapped_column(ExactDecimal)
    set_as_of: Mapped[date] = mapped_column(Date)
    seen_as_of: Mapped[date] = mapped_column(Date)
    fired: Mapped[int] = mapped_column(Integer, server_default="0")
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
