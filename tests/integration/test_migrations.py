"""The migrations build exactly the schema the code describes (tables, columns, indexes)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credo.store.tables import metadata


def test_migrating_to_head_gives_the_schema_of_the_tables_module(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
