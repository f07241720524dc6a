"""Invoices, payments and credit notes: lists with filters, and each one with its allocations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table, case, func, select
from sqlalchemy.sql import Select

from credo.domain.money import from_minor
from credo.errors import InvalidInput, NotFound
from credo.services.access import Scope
from credo.services.browse.paging import COUNT_CAP, Page, PageRequest, like, paginate
from credo.services.companies import Company
from credo.services.reports.common import money_text
from credo.store.queries import named, one_customer
from credo.store.tables import allocations, credit_notes, customers, invoices, payments

INVOICE_STATUSES = ("open", "overdue", "paid", "all")


@dataclass(frozen=True)
class DocumentFilter:
    customer: str | None = None  # customer code
    q: str | None = None  # document number contains
    currency: str | None = None
    date_from: date | None = None  # issue (payment) date on or after
    date_to: date | None = None
    status: str = "all"  # invoices: open | overdue | paid | all; payments, credit notes: unapplied | all


@dataclass(frozen=True)
class _Kind:
    table: Table
    number: str  # the key column
    day: str  # the date column
    settled: str  # running total of allocations
    link: str  # allocations' column pointing at it


INVOICE = _Kind(invoices, "number", "issue_date", "paid_amount", "invoice_id")
PAYMENT = _Kind(payments, "ref", "payment_date", "applied_amount", "payment_id")
CREDIT_NOTE = _Kind(credit_notes, "number", "issue_date", "applied_amount", "credit_note_id")
# What each kind shows beyond _base's columns, in its list and on its own.
INVOICE_COLUMNS = (invoices.c.due_date, invoices.c.terms)
PAYMENT_COLUMNS = (payments.c.reversed_on, payments.c.reversal_reason)
CREDIT_NOTE_COLUMNS = (credit_notes.c.reason,)
EXTRA_COLUMNS = {"invoices": INVOICE_COLUMNS, "payments": PAYMENT_COLUMNS, "credit_notes": CREDIT_NOTE_COLUMNS}


def _money(minor: int | None, currency: str) -> str:
    return money_text(from_minor(int(minor or 0), currency))


def _shown(kind: _Kind, extra=()) -> Select:
    """The columns every list of the kind shows, joined to its customer's code and name."""
    t, c = kind.table.c, customers.c
    return (select(t[kind.number].label("number"), c.code.label("customer_code"), c.name.label("customer_name"),
                   t[kind.day].label("date"), t.currency, t.amount, t[kind.settled].label("settled"), *extra)
            .select_from(kind.table.join(customers, c.id == t.customer_id)))


def _base(kind: _Kind, company: Company, scope: Scope, where: DocumentFilter, extra=()) -> Select:
    """The list's query. Its conditions name the document table alone (the customer's through
    `customer_id IN (...)`): `paginate` counts and pages on that table before the join."""
    t, c = kind.table.c, customers.c
    query = _shown(kind, extra).where(t.company_id == company.id)
    whose = ([scope.customers()] if scope.limited else []) + ([c.code == where.customer] if where.customer else [])
    if whose:
        query = query.where(t.customer_id.in_(select(c.id).where(c.company_id == company.id, *whose)))
    if where.q:
        query = query.where(t[kind.number].like(like(where.q), escape="\\"))
    if where.currency:
        query = query.where(t.currency == where.currency.upper())
    if where.date_from:
        query = query.where(t[kind.day] >= where.date_from)
    if where.date_to:
        query = query.where(t[kind.day] <= where.date_to)
    return query


def _paginate(conn: Connection, kind: _Kind, query: Select, sortable: dict, page: PageRequest, shape) -> Page:
    return paginate(conn, query, sortable, "-date", page, shape, keys=kind.table.c.id)


def _sortable(kind: _Kind) -> dict:
    t = kind.table.c
    return {"number": t[kind.number], "date": t[kind.day], "amount": t.amount, "customer": customers.c.code,
            "open": t.amount - t[kind.settled]}


def list_invoices(conn: Connection, company: Company, scope: Scope, today: date, where: DocumentFilter,
                  page: PageRequest) -> Page:
    """Invoices with what is open on them today and their days past due."""
    i = invoices.c
    if where.status not in INVOICE_STATUSES:
        raise InvalidInput(f"status {where.status!r}: use one of {', '.join(INVOICE_STATUSES)}")
    query = _base(INVOICE, company, scope, where, INVOICE_COLUMNS)
    if where.status in ("open", "overdue"):
        query = query.where(i.amount > i.paid_amount)
    if where.status == "overdue":
        query = query.where(i.due_date < today)
    if where.status == "paid":
        query = query.where(i.amount == i.paid_amount)
    sortable = _sortable(INVOICE) | {"due_date": i.due_date}
    return _paginate(conn, INVOICE, query, sortable, page, lambda row: _invoice_item(row, today))


def list_payments(conn: Connection, company: Company, scope: Scope, where: DocumentFilter, page: PageRequest) -> Page:
    query = _unapplied_only(_base(PAYMENT, company, scope, where, PAYMENT_COLUMNS), PAYMENT, where)
    return _paginate(conn, PAYMENT, query, _sortable(PAYMENT), page, _payment_item)


def list_credit_notes(conn: Connection, company: Company, scope: Scope, where: DocumentFilter,
                      page: PageRequest) -> Page:
    query = _unapplied_only(_base(CREDIT_NOTE, company, scope, where, CREDIT_NOTE_COLUMNS), CREDIT_NOTE, where)
    return _paginate(conn, CREDIT_NOTE, query, _sortable(CREDIT_NOTE), page, _credit_note_item)


# The customer page's three lists, as `list_invoices` (open, by due date, 100) and `list_payments` and
# `list_credit_notes` (the latest 20, uncounted) give them for a customer the page has found in the
# scope: statements built once with named parameters, not again by `paginate` for each customer.
CUSTOMER_OPEN_INVOICES, CUSTOMER_LATEST = 100, 20


def customer_lists(conn: Connection, company: Company, customer_id: int, today: date) -> dict[str, Page]:
    """{"open_invoices", "payments", "credit_notes"} of one customer (its id: the caller has checked
    that the scope sees it), each the Page the general lists would give."""
    values = one_customer(company.id, customer_id)
    rows = conn.execute(_customer_list(INVOICE, "due_date", True), values).all()
    total = len(rows)
    if total == CUSTOMER_OPEN_INVOICES:  # a full page: counted, as `paginate` does
        total = conn.execute(_customer_open_count(), values).scalar_one()
    out = {"open_invoices": Page([_invoice_item(row, today) for row in rows], min(total, COUNT_CAP),
                                 CUSTOMER_OPEN_INVOICES, 0, total > COUNT_CAP)}
    for name, kind, shape in (("payments", PAYMENT, _payment_item), ("credit_notes", CREDIT_NOTE, _credit_note_item)):
        rows = conn.execute(_customer_list(kind, "-date", False), values).all()
        full = len(rows) == CUSTOMER_LATEST
        out[name] = Page([shape(row) for row in rows], None if full else len(rows), CUSTOMER_LATEST, 0)
    return out


@lru_cache(maxsize=8)
def _customer_list(kind: _Kind, sort: str, open_only: bool) -> Select:
    t = kind.table.c
    query = _shown(kind, EXTRA_COLUMNS[kind.table.name]).where(*_one_customer_where(kind, open_only))
    column = (_sortable(kind) | {"due_date": invoices.c.due_date})[sort.removeprefix("-")]
    ordering = column.desc() if sort.startswith("-") else column.asc()  # then by number, as `paginate`
    limit = CUSTOMER_OPEN_INVOICES if open_only else CUSTOMER_LATEST
    return query.order_by(ordering, t[kind.number]).limit(limit)


@lru_cache(maxsize=1)
def _customer_open_count() -> Select:
    counted = select(invoices.c.id).where(*_one_customer_where(INVOICE, True)).limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(counted)


def _one_customer_where(kind: _Kind, open_only: bool) -> list:
    t = kind.table.c
    where = [t.company_id == named("company_id"), t.customer_id == named("customer_id")]
    return where + ([t.amount > t[kind.settled]] if open_only else [])


def _invoice_item(row, today: date) -> dict[str, Any]:
    open_minor = row.amount - row.settled
    past_due = (today - row.due_date).days if open_minor else None
    return {"number": row.number, "customer_code": row.customer_code, "customer_name": row.customer_name,
            "issue_date": row.date.isoformat(), "due_date": row.due_date.isoformat(), "terms": row.terms,
            "currency": row.currency, "amount": _money(row.amount, row.currency),
            "paid": _money(row.settled, row.currency), "open": _money(open_minor, row.currency),
            "days_past_due": max(past_due, 0) if past_due is not None else None,
            "status": _invoice_status(open_minor, row.amount, row.due_date, today)}


def _payment_item(row) -> dict[str, Any]:
    return {"ref": row.number, "customer_code": row.customer_code, "customer_name": row.customer_name,
            "payment_date": row.date.isoformat(), "currency": row.currency,
            "amount": _money(row.amount, row.currency), "applied": _money(row.settled, row.currency),
            "unapplied": _money(0 if row.reversed_on else row.amount - row.settled, row.currency),
            "reversed_on": row.reversed_on.isoformat() if row.reversed_on else None,
            "reversal_reason": row.reversal_reason}


def _credit_note_item(row) -> dict[str, Any]:
    return {"number": row.number, "customer_code": row.customer_code, "customer_name": row.customer_name,
            "issue_date": row.date.isoformat(), "currency": row.currency, "reason": row.reason,
            "amount": _money(row.amount, row.currency), "applied": _money(row.settled, row.currency),
            "unapplied": _money(row.amount - row.settled, row.currency)}


def _invoice_status(open_minor: int, amount: int, due: date, today: date) -> str:
    if open_minor == 0:
        return "paid"
    if due < today:
        return "overdue"
    return "part_paid" if open_minor < amount else "open"


def _unapplied_only(query: Select, kind: _Kind, where: DocumentFilter) -> Select:
    if where.status not in ("unapplied", "all"):
        raise InvalidInput(f"status {where.status!r}: use unapplied or all")
    if where.status == "unapplied":
        t = kind.table.c
        query = query.where(t.amount > t[kind.settled])
        if kind is PAYMENT:
            query = query.where(t.reversed_on.is_(None))
    return query


def _document(conn: Connection, kind: _Kind, company: Company, scope: Scope, number: str, label: str,
              columns=()):
    """One document by its number, with the columns of its list (and `columns`), if the scope sees it."""
    t = kind.table.c
    query = _base(kind, company, scope, DocumentFilter(), (*columns, t.id.label("document_id")))
    row = conn.execute(query.where(t[kind.number] == number)).first()
    if row is None:
        raise NotFound(f"no {label} {number!r}")
    return row


def _allocations(conn: Connection, kind: _Kind, document_id: int) -> list[dict[str, Any]]:
    """Every allocation of a document, oldest first, naming the documents on its other side."""
    a, i, p, n = allocations.c, invoices.c, payments.c, credit_notes.c
    source = case((a.payment_id.is_not(None), "payment"), (a.credit_note_id.is_not(None), "credit_note"),
                  else_="write_off")
    query = (select(a.alloc_date, a.amount, i.number.label("invoice"), i.currency, source.label("source"),
                    p.ref.label("payment"), n.number.label("credit_note"))
             .select_from(allocations.join(invoices, i.id == a.invoice_id)
                          .outerjoin(payments, p.id == a.payment_id)
                          .outerjoin(credit_notes, n.id == a.credit_note_id))
             .where(a[kind.link] == document_id).order_by(a.alloc_date, a.id))
    return [{"date": r.alloc_date.isoformat(), "amount": _money(r.amount, r.currency), "invoice": r.invoice,
             "source": r.source, "payment": r.payment, "credit_note": r.credit_note} for r in conn.execute(query)]


def invoice_detail(conn: Connection, company: Company, scope: Scope, number: str, today: date) -> dict[str, Any]:
    """The invoice as its list shows it, with its discount terms and allocations."""
    i = invoices.c
    row = _document(conn, INVOICE, company, scope, number, "invoice",
                    (*INVOICE_COLUMNS, i.discount_date, i.discount_amount))
    return _invoice_item(row, today) | {
        "discount_date": row.discount_date.isoformat() if row.discount_date else None,
        "discount_amount": _money(row.discount_amount, row.currency),
        "allocations": _allocations(conn, INVOICE, row.document_id)}


def payment_detail(conn: Connection, company: Company, scope: Scope, ref: str) -> dict[str, Any]:
    row = _document(conn, PAYMENT, company, scope, ref, "payment", PAYMENT_COLUMNS)
    return _payment_item(row) | {"allocations": _allocations(conn, PAYMENT, row.document_id)}


def credit_note_detail(conn: Connection, company: Company, scope: Scope, number: str) -> dict[str, Any]:
    row = _document(conn, CREDIT_NOTE, company, scope, number, "credit note", CREDIT_NOTE_COLUMNS)
    return _credit_note_item(row) | {"allocations": _allocations(conn, CREDIT_NOTE, row.document_id)}
