"""Waivers of late interest (减免罚息), maker-checker (四眼原则) like the limit requests.

A waiver names an invoice (its interest not charged yet) or a debit note (charged), an amount in
its currency and a reason. A second person who holds `interest_waive` decides it, never the
requester (`credo.domain.approval`): a credit manager up to the company's waiver threshold (in the
base currency, at the day's rate), a controller above it.
An approved waiver counts from the day it is approved: on a debit note it is booked as a credit note
on it (through services/records.py, numbered WV-{id}); on an invoice it lowers what is still to
charge. Every request and decision is kept and audit-logged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.access import Permission
from credo.domain.approval import ApprovalLevel
from credo.domain.money import from_minor, to_minor
from credo.errors import Conflict, Forbidden, InvalidInput, NotFound
from credo.services import audit, records
from credo.services.collections.interest import interest_report
from credo.services.collections.interest_terms import interest_settings_of
from credo.services.access import EVERYONE, Scope
from credo.services.approvals import Person, holds, require_approver
from credo.services.companies import Company
from credo.services.reports.common import Converter
from credo.store.collections_tables import interest_charges, interest_waivers
from credo.store.tables import credit_notes, customers, invoices



def _may_waive(person: Person) -> bool:
    return holds(person, Permission.interest_waive)


def request_waiver(conn: Connection, company: Company, requester: Person, *, invoice: str, amount: Decimal,
                   reason: str, today: date, scope: Scope = EVERYONE) -> dict[str, Any]:
    """Record a waiver; a second person decides it (`approve_waiver`). An invoice of a customer
    outside the scope is not found."""
    if not reason.strip():
        raise InvalidInput("a waiver needs a reason")
    row = _invoice(conn, company, invoice, scope)
    try:
        minor = to_minor(amount, row.currency)
    except ValueError as error:
        raise InvalidInput(f"amount: {error}") from None
    if minor <= 0:
        raise InvalidInput("a waiver's amount must be positive")
    most = _waivable(conn, company, row, today)
    if minor > most:
        raise InvalidInput(f"{invoice}: at most {from_minor(most, row.currency)} {row.currency} can be waived")
    values = dict(company_id=company.id, customer_id=row.customer_id, invoice_id=row.id, waived_on=today,
                  currency=row.currency, amount=minor, reason=reason.strip(), status="pending",
                  requested_by=requester.name, requested_at=clock.now())
    waiver_id = conn.execute(insert(interest_waivers).values(**values)).inserted_primary_key[0]
    audit.record(conn, actor=requester.name, action="request", entity="interest_waiver", key=str(waiver_id),
                 company_id=company.id, after={"invoice": invoice, "amount": str(amount), "currency": row.currency,
                                               "reason": values["reason"]})
    return show_waiver(conn, company, waiver_id)


def _invoice(conn: Connection, company: Company, number: str, scope: Scope = EVERYONE):
    i = invoices.c
    row = conn.execute(select(i.id, i.number, i.customer_id, i.currency, i.amount, i.paid_amount)
                       .join(customers, customers.c.id == i.customer_id)
                       .where(i.company_id == company.id, i.number == number, scope.customers())).first()
    if row is None:
        raise NotFound(f"no invoice or debit note {number!r}")
    return row


def _is_debit_note(conn: Connection, invoice_id: int) -> bool:
    c = interest_charges.c
    return conn.execute(select(c.id).where(c.debit_note_id == invoice_id).limit(1)).first() is not None


def _waivable(conn: Connection, company: Company, row, today: date) -> int:
    """A debit note: what is open of it; an invoice: its interest and fees still to charge today,
    less the waivers pending on it."""
    w = interest_waivers.c
    pending = sum(conn.execute(select(w.amount).where(w.invoice_id == row.id, w.status == "pending")).scalars())
    if _is_debit_note(conn, row.id):
        return row.amount - row.paid_amount - pending
    code = conn.execute(select(customers.c.code).where(customers.c.id == row.customer_id)).scalar_one()
    line = next((x for x in interest_report(conn, company, today, code).lines if x.invoice_id == row.id), None)
    return (to_minor(line.to_charge, row.currency) if line else 0) - pending


def approve_waiver(conn: Connection, company: Company, waiver_id: int, approver: Person, note: str,
                   today: date) -> dict[str, Any]:
    """Approve a pending waiver: four eyes (never the requester), `interest_waive`, and the role the
    amount calls for (a controller above the waiver threshold)."""
    row = _pending(conn, company, waiver_id)
    threshold = interest_settings_of(conn, company).waiver_threshold
    levels = (ApprovalLevel(threshold, "credit_manager"), ApprovalLevel(None, "controller"))
    base = Converter.load(conn, company, today)(row.amount, row.currency)
    require_approver("a waiver", Permission.interest_waive, levels, base, row.requested_by, approver)
    _decide(conn, company, waiver_id, approver, "approved", note, today)
    return show_waiver(conn, company, waiver_id)


def reject_waiver(conn: Connection, company: Company, waiver_id: int, approver: Person, note: str) -> dict[str, Any]:
    row = _pending(conn, company, waiver_id)
    if not note.strip():
        raise InvalidInput("a rejection needs a note saying why")
    if not _may_waive(approver):
        raise Forbidden(f"{approver.name} may not waive interest")
    _decide(conn, company, waiver_id, approver, "rejected", note, row.waived_on)
    return show_waiver(conn, company, waiver_id)


def _pending(conn: Connection, company: Company, waiver_id: int):
    w = interest_waivers.c
    row = conn.execute(select(interest_waivers).where(w.company_id == company.id, w.id == waiver_id)).first()
    if row is None:
        raise NotFound(f"no interest waiver {waiver_id}")
    if row.status != "pending":
        raise Conflict(f"interest waiver {waiver_id} is {row.status} already")
    return row


def _decide(conn: Connection, company: Company, waiver_id: int, who: Person, status: str, note: str,
            today: date) -> None:
    values: dict[str, Any] = dict(status=status, decided_by=who.name, decided_at=clock.now(),
                                  decision_note=note.strip() or None)
    if status == "approved":
        values["waived_on"] = today
        values["credit_note_id"] = _credit_debit_note(conn, company, waiver_id, today, who.name)
    conn.execute(update(interest_waivers).where(interest_waivers.c.id == waiver_id).values(**values))
    audit.record(conn, actor=who.name, action="approve" if status == "approved" else "reject",
                 entity="interest_waiver", key=str(waiver_id), company_id=company.id,
                 before={"status": "pending"}, after={"status": status, "note": note.strip()})


def _credit_debit_note(conn: Connection, company: Company, waiver_id: int, today: date, actor: str) -> int | None:
    """A waiver of a debit note: a credit note on it, for the amount waived."""
    row = conn.execute(_query(company).where(interest_waivers.c.id == waiver_id)).one()
    if not _is_debit_note(conn, row.invoice_id):
        return None
    number = f"WV-{waiver_id}"
    records.record(conn, company, "credit-notes", {
        "credit_note_number": number, "customer_code": row.customer_code, "issue_date": today.isoformat(),
        "amount": str(from_minor(row.amount, row.currency)), "invoice_number": row.invoice_number,
        "reason": f"interest waived: {row.reason}"[:500], "currency": row.currency}, actor)
    return conn.execute(select(credit_notes.c.id).where(credit_notes.c.company_id == company.id,
                                                        credit_notes.c.number == number)).scalar_one()


def _query(company: Company):
    w = interest_waivers.c
    return (select(interest_waivers, customers.c.code.label("customer_code"), invoices.c.number.label("invoice_number"))
            .join_from(interest_waivers, invoices, invoices.c.id == w.invoice_id)
            .join(customers, customers.c.id == w.customer_id).where(w.company_id == company.id))


def waiver_json(row) -> dict[str, Any]:
    moment = lambda m: m and audit.as_utc(m).isoformat()  # noqa: E731
    return {"id": row.id, "customer": row.customer_code, "invoice": row.invoice_number,
            "amount": str(from_minor(row.amount, row.currency)), "currency": row.currency, "reason": row.reason,
            "status": row.status, "waived_on": row.waived_on.isoformat(), "requested_by": row.requested_by,
            "requested_at": moment(row.requested_at), "decided_by": row.decided_by,
            "decided_at": moment(row.decided_at), "decision_note": row.decision_note,
            "credit_note": f"WV-{row.id}" if row.credit_note_id else None}


def list_waivers(conn: Connection, company: Company, status: str | None = None,
                 scope: Scope = EVERYONE) -> list[dict[str, Any]]:
    """Waivers newest first, optionally of one status (pending, approved, rejected), within the scope."""
    query = _query(company).where(scope.customers()).order_by(interest_waivers.c.id.desc())
    if status:
        query = query.where(interest_waivers.c.status == status)
    return [waiver_json(row) for row in conn.execute(query)]


def show_waiver(conn: Connection, company: Company, waiver_id: int) -> dict[str, Any]:
    row = conn.execute(_query(company).where(interest_waivers.c.id == waiver_id)).first()
    if row is None:
        raise NotFound(f"no interest waiver {waiver_id}")
    return waiver_json(row)
