"""Disputes (争议发票): an invoice, or part of it, contested by the customer. Opened with a reason,
an owner and a due date, moved to investigating, resolved as valid (the invoice stands and goes
back into dunning), by a credit note for the disputed amount, or partly (a credit note for part).
While open, the disputed part is out of dunning (`facts.py`) and shown apart in the aging.

Every change is audit-logged with the values before and after; dates are the action's date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from credo import clock
from credo.domain.money import from_minor, to_minor
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit, records
from credo.services.access import Scope
from credo.services.companies import Company
from credo.services.periods import booking_day
from credo.services.browse.customers import customer_row
from credo.services.collections.dispute_report import open_on
from credo.store import queries
from credo.store.collections_tables import DISPUTE_REASONS, DISPUTE_RESOLUTIONS, disputes
from credo.store.tables import credit_notes, customers, invoices

STATUSES = ("open", "investigating", "resolved")


def invoice_open(conn: Connection, company: Company, scope: Scope, number: str, as_of: date):
    """(invoice id, customer id, currency, minor units open on the date) of an invoice the scope sees."""
    i = invoices.c
    row = conn.execute(select(i.id, i.customer_id, i.currency, i.issue_date)
                       .select_from(invoices.join(customers, customers.c.id == i.customer_id))
                       .where(i.company_id == company.id, i.number == number, scope.customers())).first()
    if row is None:
        raise NotFound(f"no invoice {number!r}")
    among = queries.among_customers(company.id, customers.c.id == row.customer_id)
    open_minor = next((r.open_amount for r in conn.execute(queries.open_invoice_items(company.id, as_of, among))
                       if r.invoice_id == row.id), 0)
    return row.id, row.customer_id, row.currency, int(open_minor)


def _disputed_minor(conn: Connection, invoice_id: int, as_of: date, leave_out: int | None = None) -> int:
    d = disputes.c
    query = select(func.coalesce(func.sum(d.amount), 0)).where(d.invoice_id == invoice_id, open_on(as_of))
    if leave_out is not None:
        query = query.where(d.id != leave_out)
    return int(conn.execute(query).scalar_one())


def open_dispute(conn: Connection, company: Company, scope: Scope, *, invoice: str, reason: str, owner: str,
                 actor: str, amount: Decimal | None = None, due_on: date | None = None, notes: str | None = None,
                 opened_on: date) -> dict:
    """Open a dispute on an invoice (all that is open on it, or `amount` of it). The open disputes
    of one invoice never add up to more than is open on it. The aging shows disputed amounts apart
    as of a day, so a dispute is never opened in a closed period."""
    if reason not in DISPUTE_REASONS:
        raise InvalidInput(f"reason {reason!r}: use one of {', '.join(DISPUTE_REASONS)}")
    if not owner.strip():
        raise InvalidInput("a dispute needs an owner (who investigates)")
    if due_on is not None and due_on < opened_on:
        raise InvalidInput(f"due date {due_on} is before the dispute is opened ({opened_on})")
    booking_day(conn, company.id, opened_on, f"the dispute of invoice {invoice}")
    invoice_id, customer_id, currency, open_minor = invoice_open(conn, company, scope, invoice, opened_on)
    free = open_minor - _disputed_minor(conn, invoice_id, opened_on)
    wanted = free if amount is None else _minor(amount, currency)
    if amount is not None and wanted <= 0:
        raise InvalidInput("a disputed amount is above zero")
    if wanted <= 0:
        raise Conflict(f"nothing on invoice {invoice} is open and undisputed on {opened_on}")
    if wanted > free:
        raise Conflict(f"{from_minor(wanted, currency)} {currency} is more than the "
                       f"{from_minor(free, currency)} open and undisputed on invoice {invoice} on {opened_on}")
    values = dict(company_id=company.id, customer_id=customer_id, invoice_id=invoice_id, amount=wanted,
                  currency=currency, reason=reason, owner=owner.strip(), status="open", opened_on=opened_on,
                  due_on=due_on, notes=notes or None, created_at=clock.now(), actor=actor)
    dispute_id = conn.execute(insert(disputes).values(**values)).inserted_primary_key[0]
    found = get_dispute(conn, company, scope, dispute_id)
    audit.record(conn, actor=actor, action="open", entity="dispute", key=str(dispute_id), company_id=company.id,
                 after=_audited(found))
    return found


def _minor(amount: Decimal, currency: str) -> int:
    try:
        return to_minor(amount, currency)
    except ValueError as error:
        raise InvalidInput(f"amount {amount}: {error}") from None


def investigate(conn: Connection, company: Company, scope: Scope, dispute_id: int, actor: str,
                notes: str | None = None, *, on: date | None = None) -> dict:
    """Move an open dispute to investigating; `on`, the day, when given, is kept in the audit log
    (not before the dispute was opened)."""
    before = get_dispute(conn, company, scope, dispute_id)
    if before["status"] != "open":
        raise Conflict(f"dispute {dispute_id} is {before['status']}: only an open one goes to investigating")
    if on is not None and on < date.fromisoformat(before["opened_on"]):
        raise InvalidInput(f"investigating on {on} is before the dispute was opened ({before['opened_on']})")
    return _change(conn, company, scope, before, actor, "investigate", status="investigating",
                   notes=_joined(before["notes"], notes), audited={"investigated_on": on} if on else {})


def resolve(conn: Connection, company: Company, scope: Scope, dispute_id: int, resolution: str | None, actor: str, *,
            resolved_on: date, amount: Decimal | None = None, credit_note: str | None = None,
            notes: str | None = None) -> dict:
    """Resolve a dispute: `valid` (the invoice stands), `credit_note` (a credit note for the
    disputed amount, or `amount`) or `partial` (a credit note for `amount`, less than disputed).
    The credit note is booked as a one-row import (`records.record`) and allocated to the invoice."""
    if not resolution:
        raise InvalidInput(f"resolving a dispute needs a resolution: {', '.join(DISPUTE_RESOLUTIONS)}")
    if resolution not in DISPUTE_RESOLUTIONS:
        raise InvalidInput(f"resolution {resolution!r}: use one of {', '.join(DISPUTE_RESOLUTIONS)}")
    before = get_dispute(conn, company, scope, dispute_id)
    if before["status"] == "resolved":
        raise Conflict(f"dispute {dispute_id} was resolved already, on {before['resolved_on']}")
    if resolved_on < date.fromisoformat(before["opened_on"]):
        raise InvalidInput(f"resolution date {resolved_on} is before the dispute was opened ({before['opened_on']})")
    booking_day(conn, company.id, resolved_on, f"the resolution of dispute {dispute_id}")
    credit_note_id = None
    if resolution == "valid":
        if amount is not None or credit_note:
            raise InvalidInput("a dispute resolved as valid writes no credit note: leave out the amount")
    else:
        credit_note_id = _credit(conn, company, before, resolution, amount, credit_note, resolved_on, actor)
    return _change(conn, company, scope, before, actor, "resolve", status="resolved", resolution=resolution,
                   resolved_on=resolved_on, credit_note_id=credit_note_id, notes=_joined(before["notes"], notes))


def _credit(conn: Connection, company: Company, dispute: dict, resolution: str, amount: Decimal | None,
            number: str | None, on: date, actor: str) -> int:
    """Book the credit note of a resolution; its id."""
    disputed = Decimal(dispute["amount"])
    if amount is None and resolution == "partial":
        raise InvalidInput("a partial resolution needs the amount credited")
    credited = disputed if amount is None else amount
    if credited <= 0 or credited > disputed or (resolution == "partial" and credited == disputed):
        limit = "less than" if resolution == "partial" else "at most"
        raise InvalidInput(f"the credit note's amount {credited} must be above zero and {limit} the "
                           f"{disputed} disputed")
    number = (number or f"CN-D{dispute['id']}").strip()
    n = credit_notes.c
    if conn.execute(select(n.id).where(n.company_id == company.id, n.number == number)).first():
        raise Conflict(f"credit note {number} exists already: name another with the resolution")
    records.record(conn, company, "credit-notes", {
        "credit_note_number": number, "customer_code": dispute["customer"], "issue_date": on.isoformat(),
        "amount": str(credited), "invoice_number": dispute["invoice"], "currency": dispute["currency"],
        "reason": f"dispute {dispute['id']}: {dispute['reason']}"}, actor)
    return conn.execute(select(n.id).where(n.company_id == company.id, n.number == number)).scalar_one()


def _joined(old: str | None, new: str | None) -> str | None:
    if not new:
        return old
    return f"{old}\n{new}" if old else new


def _change(conn: Connection, company: Company, scope: Scope, before: dict, actor: str, action: str,
            audited: dict | None = None, **values: Any) -> dict:
    """Update the dispute and audit it; `audited`: more facts for the log's `after` (a date)."""
    conn.execute(update(disputes).where(disputes.c.id == before["id"]).values(**values))
    after = get_dispute(conn, company, scope, before["id"])
    audit.record(conn, actor=actor, action=action, entity="dispute", key=str(before["id"]), company_id=company.id,
                 before=_audited(before), after=_audited(after) | (audited or {}))
    return after


def _audited(dispute: dict) -> dict:
    return {k: v for k, v in dispute.items() if k not in ("id", "customer_name") and v is not None}


def _query(company: Company, scope: Scope):
    d, c, i, n = disputes.c, customers.c, invoices.c, credit_notes.c
    return (select(disputes, c.code.label("customer_code"), c.name.label("customer_name"),
                   i.number.label("invoice_number"), n.number.label("credit_note_number"))
            .select_from(disputes.join(customers, c.id == d.customer_id).join(invoices, i.id == d.invoice_id)
                         .outerjoin(credit_notes, n.id == d.credit_note_id))
            .where(d.company_id == company.id, scope.customers()))


def dispute_json(row) -> dict:
    day = lambda d: d and d.isoformat()  # noqa: E731
    return {"id": row.id, "customer": row.customer_code, "customer_name": row.customer_name,
            "invoice": row.invoice_number, "amount": str(from_minor(row.amount, row.currency)),
            "currency": row.currency, "reason": row.reason, "owner": row.owner, "status": row.status,
            "opened_on": day(row.opened_on), "due_on": day(row.due_on), "resolved_on": day(row.resolved_on),
            "resolution": row.resolution, "credit_note": row.credit_note_number, "notes": row.notes}


def get_dispute(conn: Connection, company: Company, scope: Scope, dispute_id: int) -> dict:
    row = conn.execute(_query(company, scope).where(disputes.c.id == dispute_id)).first()
    if row is None:
        raise NotFound(f"no dispute {dispute_id}")
    return dispute_json(row)


def list_disputes(conn: Connection, company: Company, scope: Scope, *, status: str | None = "unresolved",
                  customer: str | None = None, reason: str | None = None, owner: str | None = None) -> list[dict]:
    """Disputes oldest first: unresolved (open or investigating, the default), one status, or all (None)."""
    d = disputes.c
    query = _query(company, scope).order_by(d.opened_on, d.id)
    if status == "unresolved":
        query = query.where(d.status != "resolved")
    elif status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"status {status!r}: use unresolved, {', '.join(STATUSES)} or all")
        query = query.where(d.status == status)
    if customer:
        customer_row(conn, company, scope, customer)  # NotFound outside the portfolio
        query = query.where(customers.c.code == customer)
    if reason:
        query = query.where(d.reason == reason)
    if owner:
        query = query.where(d.owner == owner)
    return [dispute_json(row) for row in conn.execute(query)]
