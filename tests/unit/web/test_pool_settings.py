"""Each server worker's PostgreSQL pool follows CREDO_DATABASE_POOL_SIZE and _MAX_OVERFLOW (the
engine is made, not connected: no server is needed to read its pool)."""

import pytest
from pydantic import ValidationError

from credo.api.app import create_app
from credo.config import Settings

URL = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def test_the_pool_takes_the_settings():
    pool = create_app(Settings(database_url=URL, database_pool_size=3, database_max_overflow=0)).state.engine.pool
    assert (pool.size(), pool._max_overflow) == (3, 0)


def test_the_default_is_sqlalchemys_five_and_ten(monkeypatch):
    monkeypatch.delenv("CREDO_DATABASE_POOL_SIZE", raising=False)
    monkeypatch.delenv("CREDO_DATABASE_MAX_OVERFLOW", raising=False)
    pool = create_app(Settings(database_url=URL)).state.engine.pool
    assert (pool.size(), pool._max_overflow) == (5, 10)


def test_a_pool_of_none_is_refused():
    with pytest.raises(ValidationError, match="database_pool_size"):
        Settings(database_url=URL, database_pool_size=0)
