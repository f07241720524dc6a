"""Orders keep their history, so the exposure as of a past day counts the orders open on that day.

The credit ledger (tests/credit_support.py) as of 2026-06-15: K1 owes 35,000 with order O1 of
10,000 open since 2026-06-10 and O2 of 3,000 cancelled; K2's order O3 of 5,000 is open since 06-12;
K3 has a line of 10,000 and nothing open.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import create_engine, func, select, text

from builders import INVOICES, load, write_csv
from credit_support import ORDERS, credit_ledger
from credo.services.access import EVERYONE
from credo.services.credit import queue
from credo.services.credit.check import check_credit
from credo.services.credit.order_history import history
from credo.services.imports import ImportFailed
from credo.store.db import alembic_config
from credo.store.limit_tables import order_events

pytestmark = pytest.mark.db
WITH_DATE = [*ORDERS, "status_date"]


@pytest.fixture
def ledger(db, company, tmp_path):
    credit_ledger(db, company, tmp_path)
    return company


def _orders_of(db, company, customer, day):
    with db.begin() as conn:
        return check_credit(conn, company, customer, D(0), day).exposure.open_orders


def _events(db):
    with db.begin() as conn:
        return conn.execute(select(func.count()).select_from(order_events)).scalar()


def test_an_order_counts_from_its_order_date_and_not_before(db, ledger):
    assert [_orders_of(db, ledger, "K1", day) for day in (date(2026, 6, 9), date(2026, 6, 10))] == [D(0), D(10_000)]


def test_a_cancellation_with_its_date_leaves_the_days_before_it_as_they_were(db, ledger, tmp_path):
    write_csv(tmp_path / "cancel.csv", WITH_DATE, [["O1", "K1", "2026-06-10", "10000", "", "cancelled", "", "2026-06-13"]])
    assert load(db, ledger, "orders", tmp_path / "cancel.csv").updated == 1
    assert [_orders_of(db, ledger, "K1", date(2026, 6, day)) for day in (12, 13, 15)] == [D(10_000), D(0), D(0)]
    with db.begin() as conn:
        assert [(e["effective_on"], e["status"]) for e in history(conn, ledger, "O1")] == [
            ("2026-06-10", "blocked"), ("2026-06-10", "open"), ("2026-06-13", "cancelled")]


def test_a_change_without_a_date_takes_effect_on_the_day_it_is_recorded(db, ledger, tmp_path):
    write_csv(tmp_path / "grow.csv", ORDERS, [["O3", "K2", "2026-06-12", "7000", "", "", ""]])
    load(db, ledger, "orders", tmp_path / "grow.csv", recorded_on=date(2026, 6, 14))
    # Growing from 5,000 to 7,000 passed the check (K2: 20,000 owed + 7,000 within the group's 80,000).
    assert [_orders_of(db, ledger, "K2", date(2026, 6, day)) for day in (13, 14)] == [D(5_000), D(7_000)]


def test_a_reimport_writes_no_event(db, ledger, tmp_path):
    before = _events(db)
    again = load(db, ledger, "orders", tmp_path / "orders.csv")
    assert (again.unchanged, _events(db)) == (3, before)


def test_an_invoice_naming_the_order_ends_it_on_the_invoice_date_with_no_day_counted_twice(db, ledger, tmp_path):
    write_csv(tmp_path / "billed.csv", [*INVOICES, "order_number"],
              [["A3", "K1", "2026-06-14", "", "", "10000", "", "O1"]])
    load(db, ledger, "invoices", tmp_path / "billed.csv")
    with db.begin() as conn:
        before = check_credit(conn, ledger, "K1", D(0), date(2026, 6, 13)).exposure
        on = check_credit(conn, ledger, "K1", D(0), date(2026, 6, 14)).exposure
    assert (before.receivables, before.open_orders) == (D(35_000), D(10_000))
    assert (on.receivables, on.open_orders) == (D(45_000), D(0))


def test_a_released_order_counts_from_the_day_of_its_release(db, ledger, tmp_path):
    write_csv(tmp_path / "big.csv", ORDERS, [["O9", "K3", "2026-06-13", "12000", "", "", ""]])
    load(db, ledger, "orders", tmp_path / "big.csv")  # over K3's 10,000: blocked
    with db.begin() as conn:
        [item] = queue.list_queue(conn, ledger, EVERYONE)
        queue.release(conn, ledger, EVERYONE, item["id"], "paid in advance", "user:li", on=date(2026, 6, 20))
    assert [_orders_of(db, ledger, "K3", date(2026, 6, day)) for day in (13, 19, 20)] == [D(0), D(0), D(12_000)]


def test_a_new_order_arriving_cancelled_was_open_until_its_status_date(db, ledger, tmp_path):
    write_csv(tmp_path / "late.csv", WITH_DATE, [["O7", "K2", "2026-06-01", "2000", "", "cancelled", "", "2026-06-05"],
                                                 ["O8", "K2", "2026-06-01", "900", "", "cancelled", "", ""]])
    load(db, ledger, "orders", tmp_path / "late.csv")
    # O7 was open 06-01 to 06-04; O8, with no date, never counted; O3 (06-12) not yet.
    assert [_orders_of(db, ledger, "K2", date(2026, 6, day)) for day in (1, 4, 5)] == [D(2_000), D(2_000), D(0)]


def test_a_status_date_before_the_order_date_is_refused_with_file_row_and_column(db, ledger, tmp_path):
    write_csv(tmp_path / "bad.csv", WITH_DATE, [["O1", "K1", "2026-06-10", "10000", "", "cancelled", "", "2026-06-01"]])
    with pytest.raises(ImportFailed) as failed:
        load(db, ledger, "orders", tmp_path / "bad.csv")
    assert "bad.csv:2:status_date: 2026-06-01 is before the order date 2026-06-10" in str(failed.value.errors[0])


def test_the_migration_gives_orders_written_before_it_their_history(tmp_path):
    """Migration 0010 on a database at 0009: an invoiced order was open until its invoice's date."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = alembic_config(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
        conn.execute(text("INSERT INTO companies (id, code, name, base_currency) VALUES (1, 'A', 'A', 'CNY')"))
        conn.execute(text("INSERT INTO customers (id, company_id, code, name, currency, language) "
                          "VALUES (1, 1, 'K', 'K', 'CNY', 'zh')"))
        conn.execute(text("INSERT INTO invoices (id, company_id, customer_id, number, issue_date, due_date, "
                          "currency, amount) VALUES (1, 1, 1, 'I1', '2026-06-20', '2026-07-20', 'CNY', 500000)"))
        for number, status, invoice in (("S1", "open", None), ("S2", "invoiced", "I1"), ("S3", "cancelled", None)):
            conn.execute(text("INSERT INTO orders (company_id, customer_id, number, order_date, currency, amount, "
                              "status, invoice_number) VALUES (1, 1, :n, '2026-06-01', 'CNY', 500000, :s, :i)"),
                         {"n": number, "s": status, "i": invoice})
        command.upgrade(config, "head")
        rows = conn.execute(text("SELECT o.number, e.effective_on, e.status FROM order_events e "
                                 "JOIN orders o ON o.id = e.order_id ORDER BY o.number, e.id")).all()
    assert [tuple(map(str, row)) for row in rows] == [
        ("S1", "2026-06-01", "open"), ("S2", "2026-06-01", "open"), ("S2", "2026-06-20", "invoiced"),
        ("S3", "2026-06-01", "cancelled")]
