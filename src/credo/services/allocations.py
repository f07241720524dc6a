"""Applying payments and credit notes to invoices, in memory first, then in bulk.

The open invoices a batch can touch are loaded once into an OpenBook; each allocation planned
lowers the book's open amounts, so two payments in one file can never settle the same money twice.
The database's CHECK constraints (paid_amount <= amount, applied_amount <= amount) stand behind it.

Settlement order (the company's interest setting, BGB s.367 by default): a payment that names no
invoice settles the customer's debit notes (costs and interest) that existed on its date before its
principal invoices, oldest first within each, when the order puts costs or interest before the
principal; after them otherwise. Debit notes issued after the payment's date stay among the later
invoices, so a report as of any date still equals one built from the documents dated by then.

An allocation is dated the later of its two documents' dates, and never in a closed period: money
applied now between documents of a closed period (`credo payments apply`) is dated the first open
day (services/periods.py), so the closed figures stay as they were; it never fails for the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Iterable, Sequence

from sqlalchemy import Connection, bindparam, insert, select, update

from credo.domain.allocation import plan_allocation, settling_order
from credo.domain.interest import COSTS_INTEREST_PRINCIPAL, Part
from credo.domain.money import from_minor, to_minor
from credo.domain.records import OpenInvoice
from credo.services.periods import lock_of
from credo.store.bulk import copy_rows
from credo.store.collections_tables import interest_charges, interest_settings
from credo.store.tables import INVOICE_COPIES, allocations, credit_notes, invoices, payments

SOURCES = {"payment": payments, "credit_note": credit_notes}


@dataclass
class BookInvoice:
    id: int
    number: str
    customer_id: int
    currency: str
    issue_date: date
    due_date: date
    open_minor: int


@dataclass(frozen=True)
class Allocation:
    source_id: int
    invoice: BookInvoice
    alloc_date: date
    amount_minor: int
    source_date: date

    @property
    def invoice_id(self) -> int:
        return self.invoice.id


class OpenBook:
    def __init__(self, items: Iterable[BookInvoice], debit_notes: frozenset[int] = frozenset(),
                 debit_notes_first: bool = True, first_open_day: date | None = None):
        self.debit_notes, self.debit_notes_first = debit_notes, debit_notes_first
        self.earliest = first_open_day or date.min  # no allocation is dated before it
        self.by_number: dict[str, BookInvoice] = {}
        self.by_customer: dict[tuple[int, str], list[BookInvoice]] = {}
        for item in items:
            self.by_number[item.number] = item
            self.by_customer.setdefault((item.customer_id, item.currency), []).append(item)

    @classmethod
    def load(cls, conn: Connection, company_id: int, customer_ids: Sequence[int] | None = None) -> "OpenBook":
        """Open invoices of the company (or of the given customers), what is open today."""
        cols = invoices.c
        query = select(cols.id, cols.number, cols.customer_id, cols.currency, cols.issue_date, cols.due_date,
                       (cols.amount - cols.paid_amount).label("open_minor")).where(
            cols.company_id == company_id, cols.amount > cols.paid_amount)
        order = _debit_notes_first(conn, company_id)
        if customer_ids is None:
            items = [BookInvoice(*row) for row in conn.execute(query)]
        else:
            items = []
            ids = iter(sorted(set(customer_ids)))
            while chunk := list(islice(ids, 5000)):
                items += [BookInvoice(*row) for row in conn.execute(query.where(cols.customer_id.in_(chunk)))]
        return cls(items, _open_debit_notes(conn, company_id) if items else frozenset(), order,
                   lock_of(conn, company_id).first_open_day)

    def open_for(self, customer_id: int, currency: str) -> list[BookInvoice]:
        return [i for i in self.by_customer.get((customer_id, currency), ()) if i.open_minor > 0]

    def allocate(self, *, source_id: int, source_date: date, customer_id: int, currency: str,
                 amount_minor: int, named: Sequence[str] = ()) -> tuple[list[Allocation], int]:
        """Plan the allocations of one payment or credit: the named invoices in their order, or else
        the invoices that existed on its date oldest first, then later ones in the order they were issued."""
        if named:
            candidates = [self.by_number[n] for n in named if n in self.by_number]
        else:
            candidates = self.open_for(customer_id, currency)
        items = [OpenInvoice(i.number, i.issue_date, i.due_date, from_minor(i.open_minor, currency)) for i in candidates]
        order = [i.number for i in candidates] if named else self._settling(candidates, items, source_date)
        plan = plan_allocation(from_minor(amount_minor, currency), items, order, paid_on=source_date)
        made = []
        for number, amount in plan.allocations:
            item = self.by_number[number]
            minor = to_minor(amount, currency)
            item.open_minor -= minor
            made.append(Allocation(source_id, item, max(source_date, item.issue_date, self.earliest), minor,
                                   source_date))
        return made, to_minor(plan.unapplied, currency)


    def _settling(self, candidates: list[BookInvoice], items: list[OpenInvoice], paid_on: date) -> list[str]:
        """The numbers in the settlement order: debit notes that existed on the date apart (first or
        last), each part in the settling order; () when the customer has no such debit note."""
        notes = {i.number for i in candidates if i.id in self.debit_notes and i.issue_date <= paid_on}
        if not notes:
            return []
        costs = [i.number for i in settling_order([x for x in items if x.number in notes], paid_on)]
        principal = [i.number for i in settling_order([x for x in items if x.number not in notes], paid_on)]
        return costs + principal if self.debit_notes_first else principal + costs


def _debit_notes_first(conn: Connection, company_id: int) -> bool:
    """Whether the company's settlement order puts costs or interest before the principal."""
    text = conn.execute(select(interest_settings.c.settle_order)
                        .where(interest_settings.c.company_id == company_id)).scalar()
    order = [Part(p) for p in text.split(",")] if text else list(COSTS_INTEREST_PRINCIPAL)
    return order.index(Part.PRINCIPAL) > min(order.index(Part.COSTS), order.index(Part.INTEREST))


def _open_debit_notes(conn: Connection, company_id: int) -> frozenset[int]:
    c, i = interest_charges.c, invoices.c
    query = (select(c.debit_note_id).join_from(interest_charges, invoices, i.id == c.debit_note_id)
             .where(c.company_id == company_id, i.amount > i.paid_amount).distinct())
    return frozenset(conn.execute(query).scalars())


def write_allocations(conn: Connection, company_id: int, kind: str, made: Sequence[Allocation]) -> None:
    """Insert allocations and raise the invoices' paid and the sources' applied amounts."""
    if not made:
        return
    source_column = f"{kind}_id"
    copy_rows(conn, allocations, ["company_id", "invoice_id", source_column, "alloc_date", "amount",
                                  *INVOICE_COPIES, "source_date"],
              ((company_id, a.invoice_id, a.source_id, a.alloc_date, a.amount_minor, a.invoice.customer_id,
                a.invoice.currency, a.invoice.issue_date, a.invoice.due_date, a.source_date) for a in made))
    _add(conn, invoices, "paid_amount", [(a.invoice_id, a.amount_minor) for a in made])
    _add(conn, SOURCES[kind], "applied_amount", [(a.source_id, a.amount_minor) for a in made])


def insert_allocations(conn: Connection, company_id: int, rows: Sequence[dict]) -> None:
    """Insert allocations given as invoice_id, one source id column, alloc_date, amount and
    source_date, with the copies of their invoices' columns looked up (the few made at a time by
    reversals and write-offs; `write_allocations` has its invoices at hand)."""
    if not rows:
        return
    i = invoices.c
    ids = sorted({row["invoice_id"] for row in rows})
    query = select(i.id, *[i[c] for c in INVOICE_COPIES]).where(i.id.in_(ids))
    found = {r.id: {c: r._mapping[c] for c in INVOICE_COPIES} for r in conn.execute(query)}
    sources = dict.fromkeys(("payment_id", "credit_note_id", "write_off_id"))  # one shape for executemany
    conn.execute(insert(allocations),
                 [sources | row | {"company_id": company_id, **found[row["invoice_id"]]} for row in rows])


def follow_document(conn: Connection, table, document_id: int, changed: dict) -> None:
    """Keep the allocations' copies equal to a document whose columns an import just changed."""
    a = allocations.c
    if table is invoices:
        copied, link = {c: changed[c] for c in INVOICE_COPIES if c in changed}, a.invoice_id
    elif table is payments or table is credit_notes:
        day = "payment_date" if table is payments else "issue_date"
        copied = {"source_date": changed[day]} if day in changed else {}
        link = a.payment_id if table is payments else a.credit_note_id
    else:
        return
    if copied:
        conn.execute(update(allocations).where(link == document_id).values(**copied))


def _add(conn: Connection, table, column: str, deltas: Iterable[tuple[int, int]]) -> None:
    totals: dict[int, int] = {}
    for key, amount in deltas:
        totals[key] = totals.get(key, 0) + amount
    statement = update(table).where(table.c.id == bindparam("key")).values(
        {column: table.c[column] + bindparam("delta")})
    conn.execute(statement, [{"key": k, "delta": v} for k, v in totals.items()])
