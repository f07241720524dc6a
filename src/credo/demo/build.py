"""Build the demo company: write the generated ERP files, then load them through the real imports.

The credit file (statements, facts, reviews, references) comes the same way, after the ledger.
Going through `run_import` (not straight into the tables) is the point: the demo shows that
files as an ERP exports them come in cleanly, and every row is audited like any import.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Sequence

from sqlalchemy import Connection

from credo.demo.credit_file import COLUMNS as CREDIT_COLUMNS, KINDS as CREDIT_KINDS, credit_file_rows
from credo.demo.generator import COLUMNS, KINDS, Row, first_month, generate
from credo.demo.limits import grant_demo_lines
from credo.demo.orders import COLUMNS as ORDER_COLUMNS, cancelled_later, demo_orders
from credo.errors import InvalidInput, NotFound
from credo.services.companies import Company, add_company, get_company
from credo.services.imports import ImportOptions, run_import

COMPANY_NAME = "示范贸易有限公司 Demo Trading Co."


@dataclass(frozen=True)
class DemoSummary:
    company: str
    customers: int
    invoices: int
    payments: int
    credit_notes: int
    fx_rates: int
    credit_lines: int = 0
    orders: int = 0
    alerts: int = 0


def build_demo(conn: Connection, *, customers: int = 200, months: int = 24, seed: int = 7, until: date,
               company_code: str = "DEMO", actor: str = "demo", folder: Path | None = None) -> DemoSummary:
    """Create company `company_code` and import a generated ledger of `months` months ending at `until`.

    The same arguments give the same files and the same ledger. The files are written to a
    temporary folder, or kept in `folder` when one is given.
    """
    _refuse_existing(conn, company_code)
    data = generate(customers=customers, months=months, seed=seed, until=until, calendar="CN")
    company = add_company(conn, code=company_code, name=COMPANY_NAME, base_currency="CNY", calendar="CN",
                          actor=actor)
    credit = credit_file_rows(data, seed, until)
    dates = (first_month(until, months), until)
    if folder is not None:
        return _build(conn, company, Path(folder), data.rows, credit, dates, seed, actor)
    with TemporaryDirectory(prefix="credo-demo-") as temporary:
        return _build(conn, company, Path(temporary), data.rows, credit, dates, seed, actor)


def _build(conn: Connection, company: Company, folder: Path, rows, credit, dates: tuple[date, date], seed: int,
           actor: str) -> DemoSummary:
    """The ledger and credit file, the credit lines, then the orders (each passes the credit check),
    and the early-warning scan of the last day (the default rules), so the alerts page has work."""
    from credo.services.risk.scan import scan

    history_start, until = dates
    summary = replace(_load(conn, company, folder, rows, credit, actor),
                      credit_lines=grant_demo_lines(conn, company, until, history_start))
    orders = demo_orders(conn, company.id, until, seed)
    options = ImportOptions(recorded_on=until)
    run_import(conn, company, "orders", write_file(folder / "orders.csv", ORDER_COLUMNS, orders), options, actor)
    run_import(conn, company, "orders", write_file(folder / "orders-changed.csv", ORDER_COLUMNS,
                                                   cancelled_later(orders, until)), options, actor)
    return replace(summary, orders=len(orders), alerts=len(scan(conn, company, until, actor).raised))


def _refuse_existing(conn: Connection, code: str) -> None:
    try:
        get_company(conn, code)
    except NotFound:
        return
    raise InvalidInput(f"company {code} exists already: the demo is built into a new database "
                       "(or give another company code)")


def _load(conn: Connection, company: Company, folder: Path, rows, credit, actor: str) -> DemoSummary:
    """The ledger's files, then the credit file's (which refer to its customers and groups)."""
    folder.mkdir(parents=True, exist_ok=True)
    inserted = {}
    for kind, header, found in [*((k, COLUMNS[k], rows[k]) for k in KINDS),
                                *((k, CREDIT_COLUMNS[k], credit[k]) for k in CREDIT_KINDS)]:
        path = write_file(folder / f"{kind}.csv", header, found)
        inserted[kind] = run_import(conn, company, kind, path, ImportOptions(), actor).inserted
    return DemoSummary(company.code, inserted["customers"], inserted["invoices"], inserted["payments"],
                       inserted["credit-notes"], inserted["fx-rates"])


def write_file(path: Path, header: Sequence[str], rows: Sequence[Row]) -> Path:
    """A CSV as Excel's "CSV UTF-8" export writes it: BOM, CRLF, every value as text."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([row[name] for name in header] for row in rows)
    return path
