"""The database: SQLAlchemy Core tables, set-based queries, Alembic migrations."""
