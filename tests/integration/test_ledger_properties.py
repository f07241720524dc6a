"""Invariants of the ledger on random ledgers (hypothesis), on SQLite and PostgreSQL:
- the aging buckets add up to each customer's open balance, and open less unapplied equals
  invoices - credit notes - payments dated by then (an identity that reads no allocation);
- nothing is ever over-allocated, as of any date;
- a report as of a past date equals the same report built from only the documents dated by then.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from builders import CREDIT_NOTES, CUSTOMERS, INVOICES, PAYMENTS, write_csv
from conftest import _empty
from credo.services.companies import add_company
from credo.services.imports import ImportOptions, run_import
from credo.services.reports.aging import aging_report
from credo.store.tables import allocations, credit_notes, invoices, payments

START = date(2024, 1, 1)
CODES = ["C1", "C2", "C3"]


@st.composite
def ledgers(draw):
    """Invoices, then payments and credit notes that name only invoices already issued."""
    invoice_rows = []
    for n in range(draw(st.integers(1, 12))):
        issued = START + timedelta(days=draw(st.integers(0, 120)))
        terms = draw(st.sampled_from(["NET0", "NET30", "NET60", "EOM30"]))
        cents = draw(st.integers(1, 500_000))
        invoice_rows.append((f"I{n}", draw(st.sampled_from(CODES)), issued, terms, Decimal(cents).scaleb(-2)))
    money = []
    for n in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["payment", "payment", "credit_note"]))
        dated = START + timedelta(days=draw(st.integers(0, 180)))
        customer = draw(st.sampled_from(CODES))
        known = [i[0] for i in invoice_rows if i[1] == customer and i[2] <= dated]
        named = draw(st.sampled_from(known)) if known and draw(st.booleans()) else ""
        money.append((kind, f"{kind[0].upper()}{n}", customer, dated, Decimal(draw(st.integers(1, 400_000))).scaleb(-2), named))
    return invoice_rows, money


def _files(folder, invoice_rows, money, until: date | None = None) -> list[tuple[str, str]]:
    """Write the ledger as import files; returns (kind, file) in the order to import them.

    Money is entered day by day, payments then credit notes, as a ledger kept daily would be:
    allocations are made when money is entered, so the order of entry decides which invoice a
    payment settles, and a past-date report is reproducible from the documents dated by then.
    """
    keep = (lambda d: d <= until) if until else (lambda d: True)
    write_csv(folder / "c.csv", CUSTOMERS, [[c, f"客户{c}", "CNY", "NET30", "", "", ""] for c in CODES])
    write_csv(folder / "i.csv", INVOICES, [[n, c, d.isoformat(), "", t, str(a), ""] for n, c, d, t, a in invoice_rows if keep(d)])
    order = [("customers", "c.csv"), ("invoices", "i.csv")]
    for day in sorted({d for _, _, _, d, _, _ in money if keep(d)}):
        name = day.isoformat()
        write_csv(folder / f"p{name}.csv", PAYMENTS, [[r, c, d.isoformat(), str(a), named, ""]
                                                      for k, r, c, d, a, named in money if k == "payment" and d == day])
        write_csv(folder / f"n{name}.csv", CREDIT_NOTES, [[r, c, d.isoformat(), str(a), named, "", ""]
                                                          for k, r, c, d, a, named in money if k == "credit_note" and d == day])
        order += [("payments", f"p{name}.csv"), ("credit-notes", f"n{name}.csv")]
    return order


def _load(engine, folder, order):
    """Empty the database and import the files in one transaction per file, as the CLI does."""
    _empty(engine)
    with engine.begin() as conn:
        company = add_company(conn, code="P", name="P", base_currency="CNY", calendar=None, actor="t")
    for kind, name in order:
        with engine.begin() as conn:
            run_import(conn, company, kind, folder / name, ImportOptions(), "t")
    return company


def _report(engine, company, as_of):
    with engine.connect() as conn:
        return aging_report(conn, company, as_of)


PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(ledger=ledgers(), offset=st.integers(0, 200))
def test_buckets_add_up_and_open_less_unapplied_equals_documents(engine, tmp_path, ledger, offset):
    invoice_rows, money = ledger
    company = _load(engine, tmp_path, _files(tmp_path, invoice_rows, money))
    as_of = START + timedelta(days=offset)
    report = _report(engine, company, as_of)
    for row in (*report.rows, report.totals):
        assert sum(row.buckets.values()) == row.total
    documents = sum(a for _, _, d, _, a in invoice_rows if d <= as_of) - sum(a for _, _, _, d, a, _ in money if d <= as_of)
    assert report.totals.net == documents


@PROPERTY
@given(ledger=ledgers())
def test_nothing_is_ever_over_allocated(engine, tmp_path, ledger):
    _load(engine, tmp_path, _files(tmp_path, *ledger))
    with engine.connect() as conn:
        for table, column in ((invoices, "invoice_id"), (payments, "payment_id"), (credit_notes, "credit_note_id")):
            applied = select(allocations.c[column], func.sum(allocations.c.amount).label("total")).group_by(
                allocations.c[column]).subquery()
            over = conn.execute(select(func.count()).select_from(table.join(applied, applied.c[column] == table.c.id))
                                .where(applied.c.total > table.c.amount)).scalar()
            assert over == 0
        assert conn.execute(select(func.count()).where(allocations.c.amount <= 0)).scalar() == 0


@PROPERTY
@given(ledger=ledgers(), offset=st.integers(0, 200))
def test_a_past_date_report_equals_one_built_from_the_documents_dated_by_then(engine, tmp_path, ledger, offset):
    as_of = START + timedelta(days=offset)
    (tmp_path / "all").mkdir(exist_ok=True)
    (tmp_path / "then").mkdir(exist_ok=True)
    then = _report(engine, _load(engine, tmp_path / "then", _files(tmp_path / "then", *ledger, until=as_of)), as_of)
    full = _report(engine, _load(engine, tmp_path / "all", _files(tmp_path / "all", *ledger)), as_of)
    assert full.to_json() == then.to_json()
