"""Small builders for test files and ledgers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Sequence

from credo.services.imports import ImportOptions, run_import


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def load(db, company, kind: str, path: Path, **options):
    """Import one file in its own transaction, as the CLI does."""
    with db.begin() as conn:
        return run_import(conn, company, kind, path, ImportOptions(**options), "test")


CUSTOMERS = ["customer_code", "name", "currency", "terms", "group_code", "segment", "collector"]
INVOICES = ["invoice_number", "customer_code", "invoice_date", "due_date", "terms", "amount", "currency"]
PAYMENTS = ["payment_ref", "customer_code", "payment_date", "amount", "invoice_number", "currency"]
CREDIT_NOTES = ["credit_note_number", "customer_code", "issue_date", "amount", "invoice_number", "reason", "currency"]


def contract_terms(db, company, customer="C1", raise_debit_note=True):
    """Interest terms of 万分之五 a day (0.05 %) with 5 grace days, from 2024-01-01 (tests of late interest)."""
    from datetime import date

    from credo.services.collections.interest_terms import set_interest_terms

    with db.begin() as conn:
        return set_interest_terms(conn, company, "test", customer=customer, valid_from=date(2024, 1, 1),
                                  statute="contract", rate="0.05", basis="daily", grace_days=5,
                                  raise_debit_note=raise_debit_note)


def lock_until(db, day, company: str = "ACME"):
    """Close the company's periods up to `day` (its lock date), as `credo close period` records it."""
    from sqlalchemy import insert, select

    from credo import clock
    from credo.store.period_tables import period_closes
    from credo.store.tables import companies

    with db.begin() as conn:
        company_id = conn.execute(select(companies.c.id).where(companies.c.code == company)).scalar_one()
        conn.execute(insert(period_closes).values(company_id=company_id, period_end=day, closed_at=clock.now(),
                                                  closed_by="user:tester"))
