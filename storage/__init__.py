"""Storage: SQLAlchemy models, sessions, queries and Alembic migrations."""
