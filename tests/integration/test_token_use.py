"""A request signed by an API token writes the token's last use at most once a minute: a read is
not a write (30 clients on the default SQLite database got "database is locked" when every GET
wrote it). The read-load figures belong to `bench.load` (issue 20)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from credo import clock
from credo.services import users
from credo.store.tables import api_tokens
from web_support import add_user

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


def last_use(db):
    with db.connect() as conn:
        return conn.execute(select(api_tokens.c.last_used_at)).scalar()


def test_a_token_records_its_use_once_a_minute(db, company):
    with db.begin() as conn:
        add_user(conn, "erp", "controller")
        token = users.create_token(conn, "erp", "erp", "test")
    with clock.pinned(NOON):
        with db.begin() as conn:
            assert users.token_principal(conn, token).username == "erp"
        first = last_use(db)
    with clock.pinned(NOON + timedelta(seconds=59)), db.begin() as conn:
        assert users.token_principal(conn, token).username == "erp"
    assert last_use(db) == first  # within the minute: nothing written
    with clock.pinned(NOON + timedelta(seconds=61)), db.begin() as conn:
        users.token_principal(conn, token)
    assert (last_use(db).replace(tzinfo=timezone.utc) - first.replace(tzinfo=timezone.utc)) >= timedelta(seconds=61)

