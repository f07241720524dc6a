"""Fixtures of the integration tests: a user with an API token for every role (the `acme` ledger
and the `server` are in tests/conftest.py, shared with the browser tests)."""

from __future__ import annotations

import pytest

from credo.services import users
from web_support import ROLES, add_user


@pytest.fixture
def tokens(db, company):
    """An API token per role; the collector works portfolio wang.li, the sales user zhao.min."""
    portfolios = {"collector": "wang.li", "sales": "zhao.min"}
    out = {}
    with db.begin() as conn:
        for role in ROLES:
            add_user(conn, role, role, portfolios.get(role))
            out[role] = users.create_token(conn, role, "tests", "test")
    return out
