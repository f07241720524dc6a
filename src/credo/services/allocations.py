"""Applying payments and credit notes to invoices, in memory first, then in bulk.

The open invoices a batch can touch are loaded once into an OpenBook; each allocation planned
lowers the book's open amounts, so two payments in one file can never settle the same money twice.
The database's CHECK constraints (paid_amount <= amount, applied_amount <= amount) stand behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Iterable, Sequence

from sqlalchemy import Connection, bindparam, select, update

from credo.domain.allocation import plan_allocation
from credo.domain.money import from_minor, to_minor
from credo.domain.records import OpenInvoice
from credo.store.bulk import copy_rows
from credo.store.tables import allocations, credit_notes, invoices, payments

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
    invoice_id: int
    alloc_date: date
    amount_minor: int


class OpenBook:
    def __init__(self, items: Iterable[BookInvoice]):
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
        if customer_ids is None:
            return cls(BookInvoice(*row) for row in conn.execute(query))
        items = []
        ids = iter(sorted(set(customer_ids)))
        while chunk := list(islice(ids, 5000)):
            items += [BookInvoice(*row) for row in conn.execute(query.where(cols.customer_id.in_(chunk)))]
        return cls(items)

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
        plan = plan_allocation(
            from_minor(amount_minor, currency),
            [OpenInvoice(i.number, i.issue_date, i.due_date, from_minor(i.open_minor, currency)) for i in candidates],
            [i.number for i in candidates] if named else (),
            paid_on=source_date,
        )
        made = []
        for number, amount in plan.allocations:
            item = self.by_number[number]
            minor = to_minor(amount, currency)
            item.open_minor -= minor
            made.append(Allocation(source_id, item.id, max(source_date, item.issue_date), minor))
        return made, to_minor(plan.unapplied, currency)


def write_allocations(conn: Connection, company_id: int, kind: str, made: Sequence[Allocation]) -> None:
    """Insert allocations and raise the invoices' paid and the sources' applied amounts."""
    if not made:
        return
    source_column = f"{kind}_id"
    copy_rows(conn, allocations, ["company_id", "invoice_id", source_column, "alloc_date", "amount"],
              ((company_id, a.invoice_id, a.source_id, a.alloc_date, a.amount_minor) for a in made))
    _add(conn, invoices, "paid_amount", [(a.invoice_id, a.amount_minor) for a in made])
    _add(conn, SOURCES[kind], "applied_amount", [(a.source_id, a.amount_minor) for a in made])


def _add(conn: Connection, table, column: str, deltas: Iterable[tuple[int, int]]) -> None:
    totals: dict[int, int] = {}
    for key, amount in deltas:
        totals[key] = totals.get(key, 0) + amount
    statement = update(table).where(table.c.id == bindparam("key")).values(
        {column: table.c[column] + bindparam("delta")})
    conn.execute(statement, [{"key": k, "delta": v} for k, v in totals.items()])
