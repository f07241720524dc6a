"""Fixtures of the integration tests: a user with an API token for every role (the `acme` ledger
and the `server` are in tests/conftest.py, shared with the browser tests)."""

from __future__ import annotations

import pytest

from typer.testing import CliRunner

from credo.cli import app
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


@pytest.fixture
def cli(db, monkeypatch):
    """Run credo against the test database (SQLite or PostgreSQL) as the administrator `tester`
    (`--as` names another user); returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("CREDO_DATABASE_URL", db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CREDO_ACTOR", "tester")
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    assert run("init", "--company", "ACME", "--name", "Acme")[0] == 0

    def user(username: str, role: str, portfolio: str | None = None) -> str:
        """Another user of credo, for `--as` (a second pair of eyes, a collector)."""
        with db.begin() as conn:
            add_user(conn, username, role, portfolio)
        return username

    user("tester", "admin")  # CREDO_ACTOR names a user of credo: an administrator for these tests
    run.user = user
    return run


@pytest.fixture
def cli_acme(cli, ledger_files):
    """The acme ledger (tests/conftest.py) imported through the command line; returns `cli`."""
    for kind, name in (("customers", "customers.csv"), ("fx-rates", "fx.csv"), ("invoices", "invoices.csv"),
                       ("payments", "payments.csv"), ("credit-notes", "credit-notes.csv")):
        code, _, err = cli("import", kind, ledger_files / name)
        assert code == 0, err
    return cli
