"""Late interest on the hand-built acme ledger (tests/conftest.py), worked by hand.

C1 has contract terms of 万分之五 a day (0.05 %) with 5 grace days, and debit notes:
  I1 1,000.00 due 02-09: interest from 02-15; P1 (02-20) pays it: 02-15..02-19 = 5 days x 0.50 = 2.50
  I2 2,000.00 due 03-31, 500.00 paid by P1 on 03-01 (before interest starts): 1,500.00 from 04-06
    as of 04-15: 04-06..04-15 = 10 days x 0.75 = 7.50          -> C1 10.00
    with P3 paying 1,000.00 on 04-20, as of 04-30: 04-06..04-19 = 14 x 0.75 = 10.50,
      04-20..04-30 = 11 x 0.25 = 2.75: 13.25                    -> C1 15.75
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from builders import PAYMENTS, contract_terms, load, write_csv
from credo.services.collections.charges import charge_interest
from credo.services.collections.interest import interest_report
from credo.services.ledger import reverse_payment
from credo.store.collections_tables import interest_charges
from credo.store.tables import invoices

pytestmark = pytest.mark.db
D = Decimal


def report(db, company, as_of, customer=None):
    with db.connect() as conn:
        return interest_report(conn, company, as_of, customer)


def by_invoice(found):
    return {line.invoice: (line.interest, line.to_charge) for line in found.lines}


def pay(db, company, tmp_path, *rows):
    load(db, company, "payments", write_csv(tmp_path / "more-payments.csv", PAYMENTS, rows))


def test_interest_runs_day_by_day_on_the_overdue_balance_after_the_grace_days(db, acme):
    contract_terms(db, acme)
    found = report(db, acme, date(2024, 4, 15))
    assert by_invoice(found) == {"I1": (D("2.50"), D("2.50")), "I2": (D("7.50"), D("7.50"))}
    assert found.totals["C1"]["to_charge"] == D("10.00")
    assert [line.first_day for line in found.lines] == [date(2024, 2, 15), date(2024, 4, 6)]


def test_a_partial_payment_lowers_the_balance_interest_runs_on_from_its_date(db, acme, tmp_path):
    contract_terms(db, acme)
    pay(db, acme, tmp_path, ["P3", "C1", "2024-04-20", "1000", "I2", ""])
    found = report(db, acme, date(2024, 4, 30))
    assert by_invoice(found) == {"I1": (D("2.50"), D("2.50")), "I2": (D("13.25"), D("13.25"))}
    assert found.totals["C1"]["accrued"] == D("15.75")


def test_a_customer_without_terms_and_no_company_default_earns_no_interest(db, acme):
    contract_terms(db, acme)
    assert {line.customer for line in report(db, acme, date(2024, 12, 31)).lines} == {"C1"}


def test_a_debit_note_charges_once_and_a_later_run_only_the_new_interest(db, acme):
    contract_terms(db, acme)
    with db.begin() as conn:
        first = charge_interest(conn, acme, date(2024, 4, 15), "test")
    assert [(n.number, n.amount, n.due_date, n.invoices) for n in first.debit_notes] == [
        ("DN-C1-20240415", D("10.00"), date(2024, 4, 15), ("I1", "I2"))]
    with db.begin() as conn:
        assert charge_interest(conn, acme, date(2024, 4, 15), "test").debit_notes == ()
    assert report(db, acme, date(2024, 4, 15)).totals["C1"]["to_charge"] == D("0.00")
    with db.begin() as conn:
        later = charge_interest(conn, acme, date(2024, 4, 25), "test")
    # I2: 04-16..04-25 = 10 days x 0.75 = 7.50 more; I1 has nothing new.
    assert [(n.number, n.amount, n.invoices) for n in later.debit_notes] == [("DN-C1-20240425", D("7.50"), ("I2",))]
    with db.connect() as conn:
        periods = conn.execute(select(interest_charges.c.period_from, interest_charges.c.period_to)
                               .order_by(interest_charges.c.id)).all()
        note = conn.execute(select(invoices.c.amount, invoices.c.paid_amount)
                            .where(invoices.c.number == "DN-C1-20240425")).one()
    assert periods == [(date(2024, 2, 15), date(2024, 4, 15)), (date(2024, 4, 6), date(2024, 4, 15)),
                       (date(2024, 4, 16), date(2024, 4, 25))]
    assert tuple(note) == (750, 0)  # open until paid


def test_debit_notes_earn_no_interest_themselves(db, acme):
    contract_terms(db, acme)
    with db.begin() as conn:
        charge_interest(conn, acme, date(2024, 4, 15), "test")
    assert {line.invoice for line in report(db, acme, date(2024, 6, 30)).lines} == {"I1", "I2"}


def test_terms_without_debit_notes_accrue_but_charge_nothing(db, acme):
    contract_terms(db, acme, raise_debit_note=False)
    with db.begin() as conn:
        assert charge_interest(conn, acme, date(2024, 4, 15), "test").debit_notes == ()
    assert report(db, acme, date(2024, 4, 15)).totals["C1"]["to_charge"] == D("10.00")


def test_a_reversed_payment_raises_the_balance_again_from_its_reversal_date(db, acme):
    contract_terms(db, acme)
    with db.begin() as conn:
        reverse_payment(conn, acme, "P1", date(2024, 3, 10), "bounced", "test")
    # I1 is 1,000.00 overdue again from 03-10: 03-10..04-15 = 37 days x 0.50 = 18.50, plus the 2.50 before.
    # I2: 2,000.00 from 04-06 (P1's 500 reversed too): 10 days x 1.00 = 10.00.
    assert by_invoice(report(db, acme, date(2024, 4, 15))) == {"I1": (D("21.00"), D("21.00")),
                                                                "I2": (D("10.00"), D("10.00"))}


def test_the_report_as_of_a_past_date_ignores_documents_entered_later(db, acme, tmp_path):
    contract_terms(db, acme)
    before = report(db, acme, date(2024, 4, 15)).to_json()
    pay(db, acme, tmp_path, ["P3", "C1", "2024-04-20", "1000", "I2", ""])
    with db.begin() as conn:
        charge_interest(conn, acme, date(2024, 4, 30), "test")
        reverse_payment(conn, acme, "P3", date(2024, 5, 2), "bounced", "test")
    assert report(db, acme, date(2024, 4, 15)).to_json() == before


def test_the_statement_of_account_shows_each_open_item_with_the_interest_not_charged_yet(db, acme):
    from credo.channels.letters import interest_totals
    from credo.services.collections.statement import statement_of_account

    contract_terms(db, acme)
    with db.begin() as conn:
        charge_interest(conn, acme, date(2024, 4, 15), "test")
    with db.connect() as conn:
        letter = statement_of_account(conn, acme, "C1", date(2024, 4, 30), "en")
    # I1 was paid (late) and charged in full; I2 earned 04-16..04-30 = 15 x 0.75 = 11.25 since the debit note.
    assert [(i.invoice_number, i.open_amount, i.interest, i.fees) for i in letter.items] == [
        ("I2", D("1500.00"), D("11.25"), D("0.00")), ("DN-C1-20240415", D("10.00"), D("0.00"), D("0.00"))]
    assert interest_totals(letter.items) == {"CNY": (D("11.25"), D("0.00"))}
    assert letter.title == "Statement of account" and letter.customer.name == "甲公司"


def test_a_statement_without_late_interest_has_no_interest_columns(db, acme):
    from credo.services.collections.statement import statement_of_account

    with db.connect() as conn:
        letter = statement_of_account(conn, acme, "C1", date(2024, 4, 15), "zh")
    assert [(i.invoice_number, i.interest) for i in letter.items] == [("I2", None)]


def open_amounts(db, *numbers):
    with db.connect() as conn:
        rows = conn.execute(select(invoices.c.number, invoices.c.amount - invoices.c.paid_amount)
                            .where(invoices.c.number.in_(numbers))).all()
    return dict(rows)


def test_a_payment_naming_no_invoice_settles_the_debit_notes_before_the_principal_by_default(db, acme, tmp_path):
    contract_terms(db, acme)
    with db.begin() as conn:
        charge_interest(conn, acme, date(2024, 4, 15), "test")
    pay(db, acme, tmp_path, ["P3", "C1", "2024-04-20", "100", "", ""])
    # By date alone I2 (due 03-31) would come before the debit note (due 04-15).
    assert open_amounts(db, "I2", "DN-C1-20240415") == {"I2": 141000, "DN-C1-20240415": 0}


def test_a_settlement_order_with_the_principal_first_leaves_the_debit_notes_for_last(db, acme, tmp_path):
    from credo.services.collections.interest_terms import change_interest_settings

    contract_terms(db, acme)
    with db.begin() as conn:
        change_interest_settings(conn, acme, "test", settle_order="principal,costs,interest")
        charge_interest(conn, acme, date(2024, 4, 15), "test")
    pay(db, acme, tmp_path, ["P3", "C1", "2024-04-20", "1505", "", ""])
    assert open_amounts(db, "I2", "DN-C1-20240415") == {"I2": 0, "DN-C1-20240415": 500}


def test_the_terms_in_force_on_an_invoices_due_date_apply_and_later_terms_do_not_rewrite_them(db, acme):
    from credo.services.collections.interest_terms import list_interest_terms, set_interest_terms

    contract_terms(db, acme)
    with db.begin() as conn:  # from 03-01: 12 % a year over 360 days, no grace; I1 (due 02-09) keeps the old terms
        set_interest_terms(conn, acme, "test", customer="C1", valid_from=date(2024, 3, 1), rate="12", grace_days=0,
                           day_basis=360)
        assert [t["valid_from"] for t in list_interest_terms(conn, acme, "C1")] == ["2024-01-01", "2024-03-01"]
    # I2 (due 03-31): 1,500.00 x 12 % x 15 days (04-01..04-15) / 360 = 7.50
    assert by_invoice(report(db, acme, date(2024, 4, 15))) == {"I1": (D("2.50"), D("2.50")), "I2": (D("7.50"), D("7.50"))}


def test_a_company_default_covers_customers_without_terms_of_their_own(db, acme):
    from credo.services.collections.interest_terms import set_interest_terms

    contract_terms(db, acme)
    with db.begin() as conn:
        set_interest_terms(conn, acme, "test", valid_from=date(2024, 1, 1), rate="0.05", basis="daily",
                           fixed_fee="25")
    # C2's I3 (USD 500, due 03-30 by EOM30): 500 x 0.05 % x 10 days (03-31..04-09), then 300 x 6 days
    # (04-10..04-15, after P2's 200) = 2.50 + 0.90 = 3.40, and the 25.00 fee.
    found = report(db, acme, date(2024, 4, 15))
    line = next(x for x in found.lines if x.invoice == "I3")
    assert (line.interest, line.fee, line.currency) == (D("3.40"), D("25.00"), "USD")
    assert found.totals["C2"]["to_charge"] == D("198.80")  # 28.40 USD at 7.0000


def test_the_uk_act_takes_the_base_rate_of_the_half_year_the_debt_fell_overdue_plus_8_and_its_fixed_sum(db, company,
                                                                                                       tmp_path):
    from pathlib import Path

    from credo.services.collections.interest_terms import set_interest_terms
    from credo.services.records import record

    load(db, company, "reference-rates", Path(__file__).parents[2] / "examples" / "reference-rates.csv")
    load(db, company, "fx-rates", write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"],
                                            [["GBP", "2025-01-01", "9.0000"]]))
    with db.begin() as conn:
        record(conn, company, "customers", {"customer_code": "UK1", "name": "Bridge Ltd", "currency": "GBP"}, "test")
        record(conn, company, "invoices", {"invoice_number": "G1", "customer_code": "UK1", "invoice_date": "2025-07-01",
                                           "due_date": "2025-07-31", "amount": "5000", "currency": "GBP"}, "test")
        set_interest_terms(conn, company, "test", customer="UK1", valid_from=date(2025, 1, 1), statute="uk_1998",
                           rate="8")
    # Overdue from 2025-08-01: base rate 4.25 (30 June) + 8 = 12.25 %; 101 days to 11-09: 169.49, and GBP 70.
    [line] = report(db, company, date(2025, 11, 9)).lines
    assert (line.interest, line.fee) == (D("169.49"), D("70.00"))
    assert report(db, company, date(2025, 11, 9)).totals["UK1"]["accrued"] == D("2155.41")  # 239.49 x 9
