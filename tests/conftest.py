"""Database fixtures: every test that asks for `engine` or `conn` runs on SQLite and PostgreSQL.

PostgreSQL runs when CREDO_TEST_POSTGRES_URL is set (the Makefile sets it to the local server);
each test session works in its own schema, dropped at the end. With CREDO_TEST_REQUIRE_POSTGRES=1
(CI) an unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from credo.services.companies import add_company
from credo.store.db import make_engine, upgrade
from credo.store.tables import metadata

POSTGRES_URL = os.environ.get("CREDO_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("CREDO_TEST_REQUIRE_POSTGRES") == "1"


def _postgres_engine():
    schema = f"credo_test_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # unreachable server
        admin.dispose()
        if REQUIRE_POSTGRES:
            raise RuntimeError(f"PostgreSQL at {POSTGRES_URL} is required and failed: {error}") from error
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    # The schema is part of the URL, so the CLI under test can be handed the same database.
    engine = make_engine(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}")
    return engine, lambda: _drop_schema(admin, schema)


def _drop_schema(admin, schema: str) -> None:
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _backends():
    yield "sqlite"
    if POSTGRES_URL:
        yield "postgresql"


@pytest.fixture(scope="session", params=list(_backends()))
def engine(request, tmp_path_factory):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'credo.db'}")
        cleanup = lambda: None  # noqa: E731
    else:
        engine, cleanup = _postgres_engine()
    upgrade(engine)
    yield engine
    engine.dispose()
    cleanup()


def _empty(engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def db(engine):
    """An empty ledger on each backend; tests open their own transactions with db.begin()."""
    _empty(engine)
    return engine


@pytest.fixture
def company(db):
    with db.begin() as conn:
        return add_company(conn, code="ACME", name="Acme 贸易", base_currency="CNY", calendar=None, actor="test")
