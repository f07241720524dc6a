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

from builders import CREDIT_NOTES, CUSTOMERS, INVOICES, PAYMENTS, load, write_csv
from credo import clock
from credo.services.companies import add_company
from credo.store.db import make_engine, upgrade
from credo.store.tables import metadata
from web_support import start_server

def pytest_addoption(parser):
    parser.addoption("--business-clock", metavar="MOMENT", default=None, help=(
        "Pin credo's business clock for the whole run to MOMENT (ISO 8601 with offset), e.g. "
        "2026-12-06T23:30+08:00, a Sunday night in Shanghai: CI runs so, to prove that no test depends on "
        "the day or hour it runs. A test that needs a working day pins its own (credo.clock.pinned)."))


def pytest_configure(config):
    moment = config.getoption("--business-clock")
    if moment:
        clock.pin(clock.parse_moment(moment))


def pytest_report_header(config):
    moment = clock.pinned_at()
    return f"business clock: {'pinned to ' + moment.isoformat() if moment else 'the real time'}"


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


# Every table emptied (children first) and, on PostgreSQL, every sequence of the schema back to 1,
# as TRUNCATE ... RESTART IDENTITY would: a TRUNCATE of the 62 tables took 0.5-1.1 s (a new file for
# each table and index), these DELETEs of a test's few rows 5 ms, before each of some 900 tests.
_RESET_SEQUENCES = ("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S' "
                    "AND c.relnamespace = current_schema()::regnamespace")


def _empty(engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(f"DELETE FROM {t.name}" for t in reversed(metadata.sorted_tables)))
            conn.exec_driver_sql(_RESET_SEQUENCES)
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


# The hand-built `acme` ledger and a real HTTP server over the test database: shared by the
# integration tests (API, pages) and the browser tests.


@pytest.fixture(scope="session")
def server(engine):
    running, stop = start_server(engine.url.render_as_string(hide_password=False), sign_in_attempts=10_000)
    yield running
    stop()


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


@pytest.fixture
def people(acme, db):
    """A user per role (named after it, password web_support.PASSWORD) on the acme ledger: the
    collector works portfolio `wang` (C1), the sales user `zhao.min` (made C2's salesperson)."""
    from credo.store.tables import customers
    from web_support import ROLES, add_user

    portfolios = {"collector": "wang", "sales": "zhao.min"}
    with db.begin() as conn:
        for role in ROLES:
            add_user(conn, role, role, portfolios.get(role))
        conn.execute(customers.update().where(customers.c.code == "C2").values(salesperson="zhao.min"))
    return acme


@pytest.fixture
def pages(server, people):
    """Sign in through the sign-in form: pages("auditor") is an httpx client holding the session."""
    from web_support import signed_in

    clients = []

    def sign_in(username: str, language: str | None = None):
        clients.append(signed_in(server, username, language))
        return clients[-1]

    yield sign_in
    for client in clients:
        client.close()
