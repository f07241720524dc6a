"""Import payments and credit notes: money that settles invoices.

A row that names invoice_number(s) (several separated by ';') settles only those, up to what is
open on them; a payment that names none settles its customer's open invoices oldest first; a
credit note that names none stays as unapplied credit. What is left over stays unapplied: shown
beside the aging and used by `credo payments apply`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, select

from credo.channels.files import SourceRow, parse_amount, parse_currency, parse_date, parse_text
from credo.domain.money import to_minor
from credo.services.allocations import OpenBook, write_allocations
from credo.services.companies import Company
from credo.services.imports.common import (
    Field, ImportOptions, ImportResult, Parsed, RowIssues, check_header, flag_duplicates, parse_rows,
    count, settler,
)
from credo.services.imports.dating import DateColumn, Dating
from credo.services.imports.lookups import CustomerIndex
from credo.services.imports.staging import Merge, merge, money_changed
from credo.store.tables import credit_notes, invoices, payments


@dataclass(frozen=True)
class CreditKind:
    kind: str            # "payment" or "credit_note": the allocation's source
    entity: str          # what the audit log calls the file's rows
    key_field: str       # the file's key column
    date_field: str      # the file's date column
    merge: Merge
    auto_allocate: bool  # settle oldest first when no invoice is named
    dated: DateColumn    # the date the lock date guards

    @property
    def date_column(self) -> str:
        return self.merge.columns[1]


PAYMENTS = CreditKind(
    "payment", "payments", "payment_ref", "payment_date",
    Merge(payments, ("ref",), ("customer_id", "payment_date", "currency", "amount"), extra=("applied_amount",)),
    auto_allocate=True,
    dated=DateColumn("payment", "payment_ref", "payment_date", payments.c.ref, payments.c.payment_date),
)
CREDIT_NOTES = CreditKind(
    "credit_note", "credit-notes", "credit_note_number", "issue_date",
    Merge(credit_notes, ("number",), ("customer_id", "issue_date", "currency", "amount", "invoice_id", "reason"),
          extra=("applied_amount",)),
    auto_allocate=False,
    dated=DateColumn("credit note", "credit_note_number", "issue_date", credit_notes.c.number, credit_notes.c.issue_date),
)
MONEY_COLUMNS = ("customer_id", "currency", "amount")


def _numbers(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.replace("|", ";").split(";") if n.strip())


def _fields(spec: CreditKind, options: ImportOptions) -> list[Field]:
    fields = [
        Field(spec.key_field, lambda t: parse_text(t, 64), required=True),
        Field("customer_code", lambda t: parse_text(t, 64), required=True),
        Field(spec.date_field, lambda t: parse_date(t, options.date_format), required=True),
        Field("amount", parse_amount, required=True),
        Field("invoice_number", _numbers),
        Field("currency", parse_currency),
    ]
    if spec.kind == "credit_note":
        fields.append(Field("reason", lambda t: parse_text(t, 500)))
    return fields


def import_credits(
    spec: CreditKind, conn: Connection, company: Company, path: Path, header: list[str],
    rows: list[SourceRow], options: ImportOptions, actor: str,
) -> ImportResult:
    result = ImportResult(spec.entity, str(path), rows=len(rows))
    fields = _fields(spec, options)
    check_header(path.name, header, fields)
    issues = RowIssues(path.name)
    parsed = flag_duplicates(parse_rows(rows, fields, issues), spec.key_field, issues)
    dating = Dating.load(conn, company.id, options)
    dating.book(conn, parsed, spec.dated, issues, result)
    customers = CustomerIndex.load(conn, company)
    named = _named_invoices(conn, company.id, parsed)
    booked = [b for p in parsed if (b := _booking(spec, p, customers, named, issues)) is not None]
    sources = {b.row: b.source for b in booked}
    settle = settler(result, issues, sources, "amount", header, options, path)
    outcome = merge(conn, spec.merge, company.id, [b.staged for b in booked], entity=spec.kind, actor=actor,
                    settle=settle, conflict=_conflict_rule(spec, dating), want_ids=True)
    count(result, outcome)
    # Money to apply: new rows, and corrected rows that had not been applied yet.
    fresh = outcome.new_rows | {c.row_no for c in outcome.changed
                                if not c.old_applied_amount and c.row_no not in outcome.conflicts}
    _allocate(spec, conn, company, [b for b in booked if b.row in fresh], outcome.ids, result)
    if spec.kind == "payment":
        _honour_discounts(conn, company, {b.customer_id for b in booked if b.row in fresh}, actor, result)
    return result


def _honour_discounts(conn: Connection, company: Company, customer_ids: set[int], actor: str, result) -> None:
    """Early-payment discounts the new payments took (services/collections/discounts.py)."""
    from credo.services.collections.discounts import honour_offers  # it books credit notes through imports

    taken = honour_offers(conn, company, actor, customer_ids)
    if taken:
        result.notes.append(f"{len(taken)} early-payment discount(s) taken")


@dataclass(frozen=True)
class _Booking:
    source: SourceRow
    row: int
    key: str
    customer_id: int
    currency: str
    amount_minor: int
    when: object
    named: tuple[str, ...]
    staged: tuple


def _booking(spec: CreditKind, item: Parsed, customers: CustomerIndex, named: dict, issues: RowIssues):
    v, source = item.values, item.source
    customer = customers.find(v["customer_code"], source, issues)
    if customer is None:
        return None
    currency = v["currency"] or customer.currency
    if v["amount"] <= 0:
        issues.add(source, "amount", "must be positive (a returned payment is a reversal: `credo payments reverse`)")
        return None
    try:
        amount = to_minor(v["amount"], currency)
    except ValueError as error:
        issues.add(source, "amount", str(error))
        return None
    numbers = v["invoice_number"] or ()
    if len(set(numbers)) < len(numbers):
        issues.add(source, "invoice_number", "names the same invoice twice")
    for number in numbers:
        reason = _named_problem(named.get(number), number, customer.id, currency)
        if reason:
            issues.add(source, "invoice_number", reason)
    if issues.has(source.row):
        return None
    staged = (source.row, v[spec.key_field], customer.id, v[spec.date_field], currency, amount)
    if spec.kind == "credit_note":
        staged += (named[numbers[0]][0] if numbers else None, v["reason"])
    return _Booking(source, source.row, v[spec.key_field], customer.id, currency, amount,
                    v[spec.date_field], numbers, staged)


def _named_problem(found, number: str, customer_id: int, currency: str) -> str | None:
    if found is None:
        return f"unknown invoice {number!r}"
    if found[1] != customer_id:
        return f"invoice {number} belongs to another customer"
    if found[2] != currency:
        return f"invoice {number} is in {found[2]}, not {currency}"
    return None


def _named_invoices(conn: Connection, company_id: int, parsed: list[Parsed]) -> dict[str, tuple]:
    wanted = iter(sorted({n for p in parsed for n in (p.values["invoice_number"] or ())}))
    found: dict[str, tuple] = {}
    cols = invoices.c
    while chunk := list(islice(wanted, 5000)):
        query = select(cols.number, cols.id, cols.customer_id, cols.currency).where(
            cols.company_id == company_id, cols.number.in_(chunk))
        found.update({row.number: (row.id, row.customer_id, row.currency) for row in conn.execute(query)})
    return found


def _conflict_rule(spec: CreditKind, dating: Dating):
    """Money dated in a closed period does not change; money already applied keeps its customer,
    currency, amount and date."""
    kept = (*MONEY_COLUMNS, spec.date_column)
    key = spec.merge.keys[0]

    def conflict(change) -> str | tuple[str, str] | None:
        closed = dating.refuse_change(change, spec.dated)
        if closed:
            return closed
        if not change.old_applied_amount or not money_changed(change, kept):
            return None
        return (f"{getattr(change, key)} is already applied to invoices; its customer, currency, amount and "
                "date cannot change: reverse it and import the correction under a new reference")
    return conflict


def _allocate(spec: CreditKind, conn: Connection, company: Company, fresh: list[_Booking], ids: dict, result) -> None:
    """Settle invoices with the new money, oldest payment first."""
    book = OpenBook.load(conn, company.id, [b.customer_id for b in fresh])
    made, unapplied = [], 0  # unapplied: how many documents keep money unapplied
    for item in sorted(fresh, key=lambda b: (b.when, b.row)):
        if not item.named and not spec.auto_allocate:
            unapplied += 1
            continue
        planned, left = book.allocate(source_id=ids[item.row], source_date=item.when, customer_id=item.customer_id,
                                      currency=item.currency, amount_minor=item.amount_minor, named=item.named)
        made += planned
        unapplied += left > 0
    write_allocations(conn, company.id, spec.kind, made)
    result.notes.append(f"{len(made)} allocation(s) made; {unapplied} document(s) keep money unapplied")
