"""Fixtures of the integration tests: the hand-built `acme` ledger, a real HTTP server over the
test database, and a user with an API token for every role."""

from __future__ import annotations

import pytest

from builders import CREDIT_NOTES, CUSTOMERS, INVOICES, PAYMENTS, load, write_csv
from credo.services import users
from web_support import ROLES, add_user, start_server


@pytest.fixture(scope="session")
def server(engine):
    running, stop = start_server(engine.url.render_as_string(hide_password=False), sign_in_attempts=10_000)
    yield running
    stop()


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
def ledger_files(tmp_path):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, [
        ["C1", "甲公司", "CNY", "NET30", "", "key_account", "wang"],
        ["C2", "Beta Ltd", "USD", "EOM30", "G1", "standard", "lee"],
        ["C3", "丙公司", "CNY", "NET60", "G1", "standard", ""],
    ])
    write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"], [["USD", "2024-01-01", "7.0000"],
                                                                       ["USD", "2024-06-01", "7.2000"]])
    write_csv(tmp_path / "invoices.csv", INVOICES, [
        ["I1", "C1", "2024-01-10", "", "", "1,000.00", ""],
        ["I2", "C1", "2024/3/1", "2024-03-31", "", "2000", "CNY"],
        ["I3", "C2", "2024年2月15日", "", "", "$500.00", "USD"],
        ["I4", "C3", "2024-05-20", "", "", "¥3,000.00", ""],
    ])
    write_csv(tmp_path / "payments.csv", PAYMENTS, [
        ["P1", "C1", "2024-02-20", "1500", "", ""],
        ["P2", "C2", "2024-04-10", "200", "I3", "USD"],
    ])
    write_csv(tmp_path / "credit-notes.csv", CREDIT_NOTES, [["CN1", "C3", "2024-06-10", "500", "I4", "价格调整", ""]])
    return tmp_path


@pytest.fixture
def acme(db, company, ledger_files):
    for kind, name in (("customers", "customers.csv"), ("fx-rates", "fx.csv"), ("invoices", "invoices.csv"),
                       ("payments", "payments.csv"), ("credit-notes", "credit-notes.csv")):
        load(db, company, kind, ledger_files / name)
    return company
