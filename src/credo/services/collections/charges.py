"""Debit notes for late interest (罚息通知单): one per customer (and currency) for the interest and fees
accrued up to a date and not charged yet, where the terms say a debit note is raised.

A debit note is an invoice (through services/records.py, like a hand-entered one), numbered
DN-{customer}-{YYYYMMDD} (with -{currency} when not the customer's own currency), dated the as-of
date and due `debit_note_days` later (the company's interest setting; 0, the default: at once).
Each late invoice it charges gets an `interest_charges` row with the period it covers, so a second
run on the same date charges nothing and a later run only what accrued since. Aging and dunning
see debit notes as the open invoices they are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select

from credo import clock
from credo.domain.money import ZERO, to_minor
from credo.services import audit, records
from credo.services.collections.interest import InterestLine, interest_report
from credo.services.collections.interest_terms import interest_settings_of
from credo.services.companies import Company
from credo.services.periods import booking_day
from credo.services.reports.common import Tabular
from credo.store.collections_tables import interest_charges
from credo.store.tables import customers, invoices


@dataclass(frozen=True)
class DebitNote:
    customer: str
    number: str
    currency: str
    amount: Decimal
    issue_date: date
    due_date: date
    invoices: tuple[str, ...]  # the late invoices it charges

    def to_json(self) -> dict[str, Any]:
        return {"customer": self.customer, "number": self.number, "currency": self.currency,
                "amount": str(self.amount), "issue_date": self.issue_date.isoformat(),
                "due_date": self.due_date.isoformat(), "invoices": list(self.invoices)}


@dataclass(frozen=True)
class Charged:
    as_of: date
    debit_notes: tuple[DebitNote, ...]
    skipped: tuple[str, ...]  # why a customer's interest was not charged

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "debit_notes": [d.to_json() for d in self.debit_notes],
                "skipped": list(self.skipped)}

    def table(self) -> Tabular:
        columns = ["customer", "number", "currency", "amount", "issue_date", "due_date", "invoices"]
        rows = [[d.customer, d.number, d.currency, d.amount, d.issue_date, d.due_date, ", ".join(d.invoices)]
                for d in self.debit_notes]
        return Tabular(f"Debit notes for late interest as of {self.as_of}", columns, rows)


def charge_interest(conn: Connection, company: Company, as_of: date, actor: str,
                    customer: str | None = None, *, to_open_period: bool = False) -> Charged:
    """Raise the debit notes due as of the date; idempotent for the same date. Never as of a day in
    a closed period (the debit notes are dated it): refused, or with `to_open_period` as of the
    first open day."""
    as_of = booking_day(conn, company.id, as_of, "debit notes for late interest", to_open_period=to_open_period)
    report = interest_report(conn, company, as_of, customer)
    groups: dict[tuple[str, str], list[InterestLine]] = defaultdict(list)
    for line in report.lines:
        if line.raise_debit_note and line.to_charge > 0:
            groups[(line.customer, line.currency)].append(line)
    days = interest_settings_of(conn, company).debit_note_days
    own = _own_currencies(conn, company, {code for code, _ in groups})
    notes, skipped = [], []
    for (code, currency), lines in sorted(groups.items()):
        number = f"DN-{code}-{as_of:%Y%m%d}" + ("" if own.get(code) == currency else f"-{currency}")
        if _exists(conn, company, number):
            skipped.append(f"{number} exists already: charge on another date")
            continue
        notes.append(_raise(conn, company, actor, number, lines, as_of, as_of + timedelta(days=days)))
    return Charged(as_of, tuple(notes), tuple(skipped))


def _raise(conn: Connection, company: Company, actor: str, number: str, lines: list[InterestLine], as_of: date,
           due_date: date) -> DebitNote:
    first = lines[0]
    amount = sum((line.to_charge for line in lines), ZERO)
    records.record(conn, company, "invoices", {
        "invoice_number": number, "customer_code": first.customer, "invoice_date": as_of.isoformat(),
        "due_date": due_date.isoformat(), "amount": str(amount), "currency": first.currency}, actor)
    note_id = conn.execute(select(invoices.c.id).where(invoices.c.company_id == company.id,
                                                       invoices.c.number == number)).scalar_one()
    since = _charged_until(conn, [line.invoice_id for line in lines])
    now = clock.now()
    conn.execute(insert(interest_charges), [dict(
        company_id=company.id, customer_id=line.customer_id, debit_note_id=note_id, invoice_id=line.invoice_id,
        period_from=_period_from(line, since.get(line.invoice_id)), period_to=as_of, currency=line.currency,
        interest=to_minor(line.to_charge_interest, line.currency), fee=to_minor(line.to_charge_fee, line.currency),
        created_at=now, actor=actor) for line in lines])
    note = DebitNote(first.customer, number, first.currency, amount, as_of, due_date,
                     tuple(line.invoice for line in lines))
    audit.record(conn, actor=actor, action="charge", entity="interest", key=number, company_id=company.id,
                 after=note.to_json())
    return note


def _period_from(line: InterestLine, charged_until: date | None) -> date | None:
    if line.to_charge_interest == 0:
        return None  # a fee alone
    if charged_until is None:
        return line.first_day
    return max(charged_until + timedelta(days=1), line.first_day or charged_until)


def _charged_until(conn: Connection, invoice_ids: list[int]) -> dict[int, date]:
    c = interest_charges.c
    query = select(c.invoice_id, func.max(c.period_to)).where(c.invoice_id.in_(invoice_ids)).group_by(c.invoice_id)
    return dict(conn.execute(query).all())


def _exists(conn: Connection, company: Company, number: str) -> bool:
    i = invoices.c
    return conn.execute(select(i.id).where(i.company_id == company.id, i.number == number)).first() is not None


def _own_currencies(conn: Connection, company: Company, codes: set[str]) -> dict[str, str]:
    k = customers.c
    query = select(k.code, k.currency).where(k.company_id == company.id, k.code.in_(codes))
    return dict(conn.execute(query).all()) if codes else {}
