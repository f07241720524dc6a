"""A small ledger built by hand, and every report on it checked against numbers worked out on paper.

Ledger (the `acme` fixture in conftest.py; company base CNY; USD 7.0000 from 2024-01-01, 7.2000 from 2024-06-01):
  I1 C1 2024-01-10 NET30 -> due 2024-02-09   1,000.00 CNY
  I2 C1 2024-03-01 due 2024-03-31             2,000.00 CNY
  I3 C2 2024-02-15 EOM30 -> due 2024-03-30      500.00 USD
  I4 C3 2024-05-20 NET60 -> due 2024-07-19    3,000.00 CNY
  P1 C1 2024-02-20 1,500.00 names nothing: I1 1,000 (dated 02-20), then I2 500 (dated 03-01, its issue date)
  P2 C2 2024-04-10   200.00 USD on I3
  CN1 C3 2024-06-10  500.00 on I4
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from builders import CUSTOMERS, INVOICES, PAYMENTS, load, write_csv

from credo.services import ledger
from credo.services.reports.aging import aging_report
from credo.services.reports.behaviour import behaviour_report
from credo.services.reports.dso import dso_report
from credo.services.reports.period import period_metrics
from credo.store.tables import allocations, invoices

D = Decimal


def aging(db, company, as_of, **kwargs):
    with db.connect() as conn:
        return aging_report(conn, company, as_of, **kwargs)


def test_oldest_first_settles_what_was_owed_on_the_payment_date_first(db, acme):
    with db.connect() as conn:
        rows = conn.execute(select(invoices.c.number, invoices.c.paid_amount).order_by(invoices.c.number)).all()
        dates = conn.execute(select(allocations.c.alloc_date).order_by(allocations.c.id)).scalars().all()
    assert rows == [("I1", 100000), ("I2", 50000), ("I3", 20000), ("I4", 50000)]
    assert dates[:2] == [date(2024, 2, 20), date(2024, 3, 1)]


def test_aging_at_the_half_year_matches_the_hand_computation(db, acme):
    report = aging(db, acme, date(2024, 6, 30))
    by_key = {r.key: r for r in report.rows}
    assert by_key["C1"].buckets["91-180"] == D("1500.00")  # I2, 91 days past due
    assert by_key["C2"].buckets["91-180"] == D("2160.00")  # USD 300 x 7.2, 92 days past due
    assert by_key["C3"].buckets["not_due"] == D("2500.00")
    assert report.totals.total == D("6160.00")
    assert report.totals.unapplied == D("0.00")
    assert report.to_json()["totals"]["buckets"]["91-180"] == "3660.00"


def test_aging_as_of_a_past_date_uses_only_what_was_dated_by_then(db, acme):
    report = aging(db, acme, date(2024, 2, 29))
    by_key = {r.key: r for r in report.rows}
    assert by_key["C1"].total == D("0.00") and by_key["C1"].unapplied == D("500.00")
    assert by_key["C2"].buckets["not_due"] == D("3500.00")  # USD 500 x 7.0
    assert (report.totals.total, report.totals.unapplied, report.totals.net) == (D("3500.00"), D("500.00"), D("3000.00"))
    assert aging(db, acme, date(2024, 3, 15)).totals.buckets["not_due"] == D("5000.00")


def test_aging_by_group_puts_customers_without_a_group_on_their_own(db, acme):
    report = aging(db, acme, date(2024, 6, 30), by="group")
    assert {r.key: r.total for r in report.rows} == {"C1": D("1500.00"), "G1": D("4660.00")}


def test_aging_in_one_currency_stays_in_that_currency(db, acme):
    report = aging(db, acme, date(2024, 6, 30), currency="USD")
    assert report.currency == "USD" and report.totals.total == D("300.00")


def test_aging_by_days_since_invoice(db, acme):
    report = aging(db, acme, date(2024, 6, 30), basis="invoice")
    assert report.labels[0] == "0-30"
    assert report.totals.buckets["31-60"] == D("2500.00")  # I4, 41 days old
    assert report.totals.buckets["91-180"] == D("3660.00")  # I2 121 days, I3 136 days


def test_standard_dso_best_possible_and_add(db, acme):
    with db.connect() as conn:
        report = dso_report(conn, acme, date(2024, 6, 30), days=90)
    data = report.to_json()
    # receivables 6,160 (net), sales 04-02..06-30 = I4 3,000 - CN1 500 = 2,500
    assert (data["receivables"], data["credit_sales"]) == ("6160.00", "2500.00")
    assert data["dso"] == "221.8"  # 6160 / 2500 x 90 = 221.76
    assert data["best_possible_dso"] == "90.0"  # 2500 current / 2500 x 90
    assert data["average_days_delinquent"] == "131.8"


def test_countback_dso_walks_back_the_months_of_sales(db, acme):
    with db.connect() as conn:
        total = dso_report(conn, acme, date(2024, 6, 30), days=90, method="countback").to_json()
        rows = {r["key"]: r for r in dso_report(conn, acme, date(2024, 6, 30), days=90, method="countback",
                                                by="customer").to_json()["rows"]}
    # 6,160 owed; sales by month, newest first: June -500 (CN1), May 3,000, April 0, March 2,000,
    # February 3,600 (USD 500 x 7.2): 30 + 31 + 30 + 31 days, then 1,660 / 3,600 of February's 29
    assert (total["dso"], total["receivables"], total["credit_sales"]) == ("135.4", "6160.00", "2500.00")
    assert total["best_possible_dso"] == "61.0"  # 2,500 current: June's -500, then all of May
    assert rows["C1"]["dso"] == "114.3"  # 1,500: three empty months, then 1,500 / 2,000 of March's 31 days
    assert rows["C2"]["dso"] == "139.4"  # 2,160: four empty months, then 2,160 / 3,600 of February's 29
    assert rows["C3"]["dso"] == "61.0" and rows["C3"]["best_possible_dso"] == "61.0"


def test_countback_reads_older_months_when_the_newer_leave_receivables_unexplained(db, company, tmp_path):
    """The standard DSO (10,200 on 10,000 of sales: 91.8 days) has the report read six months first;
    200 left open since January 2023 needs seventeen more."""
    load(db, company, "customers", write_csv(tmp_path / "c.csv", CUSTOMERS, [["K1", "Kilo", "CNY", "NET30", "", "", ""]]))
    load(db, company, "invoices", write_csv(tmp_path / "i.csv", INVOICES, [
        ["OLD", "K1", "2023-01-15", "", "", "400", ""], ["NEW", "K1", "2024-06-15", "", "", "10000", ""]]))
    load(db, company, "payments", write_csv(tmp_path / "p.csv", PAYMENTS, [["P", "K1", "2023-02-20", "200", "OLD", ""]]))
    with db.connect() as conn:
        data = dso_report(conn, company, date(2024, 6, 30), days=90, method="countback").to_json()
    # June's 10,000 leaves 200; sixteen months without sales (February 2023 to May 2024, 486 days);
    # then 200 / 400 of January 2023's 31 days: 30 + 486 + 15.5
    assert (data["receivables"], data["dso"]) == ("10200.00", "531.5")
    assert data["best_possible_dso"] == "30.0"  # NEW is not due until 2024-07-15: June explains it


def test_period_measures_match_the_hand_computation(db, acme):
    with db.connect() as conn:
        data = period_metrics(conn, acme, date(2024, 1, 1), date(2024, 6, 30)).to_json()
    assert data["credit_sales"] == "9100.00"  # 1000 + 2000 + 500 x 7.2 + 3000 - 500
    assert data["cei"] == "44.55"  # (0 + 9100 - 6160) / (0 + 9100 - 2500)
    assert data["collection_rate"] == "44.55"  # (1500 + 200 x 7.2) / (1000 + 2000 + 3600)
    assert data["overdue_ratio"] == "59.42"  # 3660 / 6160
    assert data["ar_turnover"] == "2.95"  # 9100 / ((0 + 6160) / 2)
    assert data["ar_turnover_days"] == "61.60"  # 182 / 2.9545...


def test_payment_behaviour_weights_days_by_amount(db, acme):
    with db.connect() as conn:
        report = behaviour_report(conn, acme, date(2024, 6, 30), months=12)
    (line,) = report.rows
    assert (line.customer, line.invoices, line.paid_late) == ("C1", 1, 1)
    assert (line.days_to_pay, line.days_late) == (D(41), D(11))  # I1: 01-10 -> 02-20, due 02-09


def test_a_reversed_payment_reopens_its_invoices_from_the_reversal_date_only(db, acme):
    with db.begin() as conn:
        assert ledger.reverse_payment(conn, acme, "P1", date(2024, 7, 5), "cheque returned", "test") == 2
    assert aging(db, acme, date(2024, 6, 30)).totals.total == D("6160.00")
    after = aging(db, acme, date(2024, 7, 10))
    assert {r.key: r.buckets["91-180"] for r in after.rows}["C1"] == D("3000.00")
    with db.connect() as conn:
        assert conn.execute(select(func.sum(invoices.c.paid_amount))).scalar() == 20000 + 50000


def test_unapplied_money_is_applied_oldest_first_on_request(db, company, tmp_path):
    write_csv(tmp_path / "c.csv", CUSTOMERS, [["C1", "甲", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "p.csv", PAYMENTS, [["ADV", "C1", "2024-01-01", "800", "", ""]])
    write_csv(tmp_path / "i.csv", INVOICES, [["A", "C1", "2024-01-05", "", "", "500", ""],
                                             ["B", "C1", "2024-01-06", "", "", "500", ""]])
    for kind, name in (("customers", "c.csv"), ("payments", "p.csv"), ("invoices", "i.csv")):
        load(db, company, kind, tmp_path / name)
    with db.begin() as conn:
        result = ledger.apply_unapplied(conn, company, "test")
    assert (result.allocations, result.sources) == (2, 1)
    report = aging(db, company, date(2024, 1, 31))
    assert (report.totals.total, report.totals.unapplied) == (D("200.00"), D("0.00"))


def test_a_foreign_customers_buckets_add_up_to_its_total_converted_once(db, company, tmp_path):
    """Three USD invoices of 0.05 in three buckets at 7.1: 35.5 fen each, 1.08 CNY rounded one by
    one, where the 0.15 USD they make is 1.065 -> 1.07 CNY: the aging's buckets are the parts of
    that total (36, 36, 35 fen: two units left over after rounding down, to the largest remainders,
    all 0.5, the earlier buckets first), so the aging, DSO's receivables and the period's closing
    figures agree to the cent."""
    load(db, company, "customers", write_csv(tmp_path / "c.csv", CUSTOMERS, [["U1", "Uniform", "USD", "NET30", "", "", ""]]))
    load(db, company, "fx-rates", write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"],
                                            [["USD", "2024-01-01", "7.1"]]))
    load(db, company, "invoices", write_csv(tmp_path / "i.csv", INVOICES, [
        ["A", "U1", "2024-06-20", "2024-07-20", "", "0.05", "USD"],  # not due on 2024-06-30
        ["B", "U1", "2024-05-01", "2024-06-10", "", "0.05", "USD"],  # 20 days past due
        ["C", "U1", "2024-04-01", "2024-05-10", "", "0.05", "USD"],  # 51 days
    ]))
    as_of = date(2024, 6, 30)
    report = aging(db, company, as_of)
    line = report.rows[0]
    assert (line.buckets["not_due"], line.buckets["1-30"], line.buckets["31-60"]) == (D("0.36"), D("0.36"), D("0.35"))
    assert line.total == report.totals.total == D("1.07")
    with db.connect() as conn:
        dso = dso_report(conn, company, as_of, days=90).to_json()
        period = period_metrics(conn, company, date(2024, 4, 1), as_of).to_json()
    assert dso["receivables"] == period["closing_receivables"] == period["closing_open_invoices"] == "1.07"
    assert (period["closing_current"], period["closing_overdue"]) == ("0.36", "0.71")  # the aging's not due, and the rest


def test_a_report_by_collector_rounds_each_customer_once_and_adds_up_to_the_report_by_customer(db, company, tmp_path):
    """Two USD customers of one collector, 0.05 USD open each at 7.1: 35.5 fen, 0.36 CNY each, 0.72
    in all. Rolled up before conversion the collector's 0.10 USD would be 0.71: the aging, DSO's
    receivables and the disputed figure by collector keep each customer's own rounding."""
    load(db, company, "customers", write_csv(tmp_path / "c.csv", CUSTOMERS, [
        ["U1", "Uniform", "USD", "NET30", "", "", "wang"], ["U2", "Victor", "USD", "NET30", "", "", "wang"]]))
    load(db, company, "fx-rates", write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"],
                                            [["USD", "2024-01-01", "7.1"]]))
    load(db, company, "invoices", write_csv(tmp_path / "i.csv", INVOICES, [
        ["A", "U1", "2024-06-20", "2024-07-20", "", "0.05", "USD"], ["B", "U2", "2024-06-20", "2024-07-20", "", "0.05", "USD"]]))
    as_of = date(2024, 6, 30)
    by_customer, by_collector = aging(db, company, as_of), aging(db, company, as_of, by="collector")
    assert [line.total for line in by_customer.rows] == [D("0.36"), D("0.36")]
    assert [(line.key, line.total) for line in by_collector.rows] == [("wang", D("0.72"))]
    assert by_collector.totals.total == by_customer.totals.total == D("0.72")
    with db.connect() as conn:
        dso = dso_report(conn, company, as_of, days=90, by="collector").to_json()
    assert dso["receivables"] == dso["rows"][0]["receivables"] == "0.72"
