"""Single ledger commands: apply unapplied money, reverse a payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select, update

from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.allocations import OpenBook, insert_allocations, write_allocations
from credo.services.companies import Company
from credo.services.periods import book_on
from credo.store.tables import allocations, credit_notes, customers, invoices, payments


@dataclass(frozen=True)
class ApplyResult:
    allocations: int
    sources: int


def apply_unapplied(conn: Connection, company: Company, actor: str, customer_code: str | None = None) -> ApplyResult:
    """Use every unapplied payment and credit note on open invoices of the same customer, oldest first."""
    customer_ids = None
    if customer_code:
        found = conn.execute(select(customers.c.id).where(
            customers.c.company_id == company.id, customers.c.code == customer_code)).scalar()
        if found is None:
            raise NotFound(f"no customer {customer_code!r}")
        customer_ids = [found]
    book = OpenBook.load(conn, company.id, customer_ids)
    count = sources = 0
    for kind, table, day in (("payment", payments, payments.c.payment_date), ("credit_note", credit_notes, credit_notes.c.issue_date)):
        t = table.c
        query = select(t.id, t.ref if kind == "payment" else t.number, t.customer_id, t.currency, day,
                       (t.amount - t.applied_amount).label("left")).where(
            t.company_id == company.id, t.amount > t.applied_amount).order_by(day, t.id)
        if kind == "payment":
            query = query.where(t.reversed_on.is_(None))
        if customer_ids:
            query = query.where(t.customer_id.in_(customer_ids))
        made = []
        for row in conn.execute(query).all():
            planned, _ = book.allocate(source_id=row.id, source_date=row[4], customer_id=row.customer_id,
                                       currency=row.currency, amount_minor=row.left)
            if planned:
                sources += 1
                made += planned
                audit.record(conn, actor=actor, action="apply", entity=kind, key=row[1], company_id=company.id,
                             after={"allocated": sum(p.amount_minor for p in planned), "invoices": len(planned)})
        write_allocations(conn, company.id, kind, made)
        count += len(made)
    from credo.services.collections.discounts import honour_offers  # a payment applied late may take one

    honour_offers(conn, company, actor, customer_ids)
    return ApplyResult(count, sources)


def reverse_payment(conn: Connection, company: Company, ref: str, on: date, reason: str, actor: str, *,
                    to_open_period: bool = False) -> int:
    """A returned or bounced payment: its allocations are undone as of `on` (never in a closed period:
    refused, or on the first open day when `to_open_period`), history kept; an early-payment discount
    it took comes back as a debit note (services/collections/discounts.py)."""
    if not reason.strip():
        raise InvalidInput("a reversal needs a reason (--reason)")
    p = payments.c
    row = conn.execute(select(payments).where(p.company_id == company.id, p.ref == ref)).first()
    if row is None:
        raise NotFound(f"no payment {ref!r}")
    if row.reversed_on is not None:
        raise Conflict(f"payment {ref} was reversed already on {row.reversed_on}")
    booked = book_on(conn, company.id, on, f"the reversal of payment {ref}", to_open_period=to_open_period)
    on = booked.day
    if on < row.payment_date:
        raise InvalidInput(f"the reversal date {on} is before the payment date {row.payment_date}")
    a = allocations.c
    net = select(a.invoice_id, a.alloc_date, a.amount).where(a.payment_id == row.id)
    per_invoice: dict[int, int] = {}
    for alloc in conn.execute(net):
        if alloc.alloc_date > on:
            raise Conflict(f"payment {ref} has an allocation dated {alloc.alloc_date}, after the reversal date {on}")
        per_invoice[alloc.invoice_id] = per_invoice.get(alloc.invoice_id, 0) + alloc.amount
    undone = {invoice_id: amount for invoice_id, amount in per_invoice.items() if amount}
    insert_allocations(conn, company.id, [dict(invoice_id=invoice_id, payment_id=row.id, alloc_date=on,
                                               source_date=row.payment_date, amount=-amount)
                                          for invoice_id, amount in undone.items()])  # invoices looked up once
    for invoice_id, amount in undone.items():
        conn.execute(update(invoices).where(invoices.c.id == invoice_id).values(
            paid_amount=invoices.c.paid_amount - amount))
    conn.execute(update(payments).where(p.id == row.id).values(applied_amount=0, reversed_on=on, reversal_reason=reason))
    from credo.services.collections.discounts import undo_discounts  # it books through records (imports)

    undo_discounts(conn, company, per_invoice, row.payment_date, on, actor)
    audit.record(conn, actor=actor, action="reverse", entity="payment", key=ref, company_id=company.id,
                 before={"applied_amount": row.applied_amount, "reversed_on": None},
                 after={"applied_amount": 0, "reversed_on": on, "reason": reason, **booked.note})
    return len([v for v in per_invoice.values() if v])
