"""Two small ledgers for the provision's tests, every figure worked out by hand in the tests."""

from __future__ import annotations

from builders import CUSTOMERS, INVOICES, PAYMENTS, load, write_csv


def _load(db, company, tmp_path, customers, invoices, payments, fx=()):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, customers)
    write_csv(tmp_path / "invoices.csv", INVOICES, invoices)
    write_csv(tmp_path / "payments.csv", PAYMENTS, payments)
    write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"], fx)
    for kind, name in (("customers", "customers.csv"), ("fx-rates", "fx.csv"), ("invoices", "invoices.csv"),
                       ("payments", "payments.csv")):
        if kind != "fx-rates" or fx:
            load(db, company, kind, tmp_path / name)
    return company


def small_ledger(db, company, tmp_path):
    """As of 2024-06-30: C1 10,000 not due and 3,000 30 days past due; C2 USD 1,000 (7,000 CNY)
    91 days past due; C3 2,000 invoiced 2022-01-15 (897 days old, 867 days past due)."""
    return _load(db, company, tmp_path, [
        ["C1", "甲公司", "CNY", "NET30", "", "standard", "wang"],
        ["C2", "Beta Ltd", "USD", "NET30", "", "standard", "lee"],
        ["C3", "丙公司", "CNY", "NET30", "", "standard", ""],
    ], [
        ["I1", "C1", "2024-06-01", "2024-07-01", "", "10000.00", "CNY"],
        ["I2", "C1", "2024-05-01", "2024-05-31", "", "5000.00", "CNY"],
        ["I3", "C2", "2024-03-01", "2024-03-31", "", "1000.00", "USD"],
        ["I4", "C3", "2022-01-15", "2022-02-14", "", "2000.00", "CNY"],
    ], [["P1", "C1", "2024-06-10", "2000.00", "I2", "CNY"]], [["USD", "2024-01-01", "7.0000"]])


def roll_ledger(db, company, tmp_path):
    """Month ends 2024-04-30, 05-31 and 06-30 in the buckets current, 1-30, 31-60, >60 days past due:
    [2000, 500, 300, 0], [2000, 1000, 300, 300], [800, 1000, 1000, 150] (see the test)."""
    return _load(db, company, tmp_path, [
        ["C1", "甲公司", "CNY", "NET30", "", "standard", "wang"],
        ["C3", "丙公司", "CNY", "NET30", "", "standard", ""],
    ], [
        ["A", "C1", "2024-04-15", "2024-05-15", "", "1000.00", "CNY"],
        ["B", "C1", "2024-04-20", "2024-05-20", "", "1000.00", "CNY"],
        ["C", "C3", "2024-03-05", "2024-04-05", "", "500.00", "CNY"],
        ["D", "C3", "2024-05-10", "2024-06-10", "", "2000.00", "CNY"],
        ["E", "C1", "2024-06-05", "2024-07-05", "", "800.00", "CNY"],
        ["F", "C3", "2024-02-01", "2024-03-10", "", "300.00", "CNY"],
    ], [
        ["PB", "C1", "2024-05-25", "1000.00", "B", "CNY"],
        ["PC1", "C3", "2024-05-20", "200.00", "C", "CNY"],
        ["PC2", "C3", "2024-06-12", "150.00", "C", "CNY"],
        ["PD", "C3", "2024-06-20", "1000.00", "D", "CNY"],
        ["PF", "C3", "2024-06-15", "300.00", "F", "CNY"],
    ])


def worked_ledger(db, company, tmp_path):
    """docs/risk.md's worked example of the roll rates (as of 2024-04-30, observed every 30 days
    from 2024-01-31): X 1,000 due 02-09, 400 paid 03-10; Y 500 due 01-20, 200 paid 02-15 (the rest,
    300, is written off on 03-20 by the test); Z 2,000 due 03-21, 500 paid 03-15, 1,500 on 04-10."""
    return _load(db, company, tmp_path, [
        ["K1", "甲公司", "CNY", "NET30", "", "standard", "wang"],
        ["K2", "乙公司", "CNY", "NET30", "", "standard", ""],
    ], [
        ["X", "K1", "2024-01-10", "2024-02-09", "", "1000.00", "CNY"],
        ["Y", "K2", "2024-01-05", "2024-01-20", "", "500.00", "CNY"],
        ["Z", "K1", "2024-02-20", "2024-03-21", "", "2000.00", "CNY"],
    ], [
        ["PX", "K1", "2024-03-10", "400.00", "X", "CNY"],
        ["PY", "K2", "2024-02-15", "200.00", "Y", "CNY"],
        ["PZ1", "K1", "2024-03-15", "500.00", "Z", "CNY"],
        ["PZ2", "K1", "2024-04-10", "1500.00", "Z", "CNY"],
    ])


def skipping_ledger(db, company, tmp_path):
    """One invoice that calendar month ends would see skip a bucket, never paid: W 1,000 due
    2024-01-30 (1 day past due at 01-31, 30 at 02-29, 61 at 03-31); V 500 due 2024-03-15, issued
    02-14, unpaid (16 days past due at 03-31)."""
    return _load(db, company, tmp_path, [
        ["K1", "甲公司", "CNY", "NET30", "", "standard", "wang"],
    ], [
        ["W", "K1", "2023-12-31", "2024-01-30", "", "1000.00", "CNY"],
        ["V", "K1", "2024-02-14", "2024-03-15", "", "500.00", "CNY"],
    ], [])
