"""Import orders (open orders not yet invoiced count in the exposure): number, customer, date,
amount, and optionally currency, status (open, cancelled, invoiced) and the invoice that billed it.

Where `order` is a check point, a new order, a reopened one (cancelled -> open) and an open one
whose amount grows are written `blocked` and then run the credit check in file order
(`services.credit.gate`): the passed ones become `open`, the failed ones wait in the credit queue.
An order already blocked or open keeps that status when the file says `open` again, so a
re-import changes nothing.

Every change is also written to the order's history (services/credit/order_history.py), effective
on the row's `status_date` when given, else (invoiced) the billing invoice's issue date when it is
in the ledger, else the order date for a new order and the import's day for a change. A new order
dated in a closed period, or a change taking effect in one, is a row error naming the lock date
(services/imports/dating.py), or with `to_open_period` takes effect on the first open day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Connection, select, update

from credo import clock
from credo.channels.files import SourceRow, parse_amount, parse_choice, parse_currency, parse_date, parse_text
from credo.services import audit
from credo.services.companies import Company
from credo.services.credit.gate import check_orders
from credo.services.credit.order_history import note_changes
from credo.services.credit.settings import credit_settings_of
from credo.services.imports.common import (
    Field, ImportOptions, ImportResult, Parsed, RowIssues, check_header, count, flag_duplicates, parse_rows, settler,
)
from credo.services.imports.dating import DateColumn, Dating
from credo.services.imports.lookups import CustomerIndex
from credo.services.imports.staging import Merge, merge
from credo.store.limit_tables import orders
from credo.store.tables import invoices

MERGE = Merge(table=orders, keys=("number",),
              columns=("customer_id", "order_date", "currency", "amount", "status", "invoice_number"))
FILE_STATUSES = ("open", "cancelled", "invoiced")
ORDER_DATE = DateColumn("order", "order_number", "order_date", orders.c.number, orders.c.order_date)


def fields(options: ImportOptions) -> list[Field]:
    return [
        Field("order_number", lambda t: parse_text(t, 64), required=True),
        Field("customer_code", lambda t: parse_text(t, 64), required=True),
        Field("order_date", lambda t: parse_date(t, options.date_format), required=True),
        Field("amount", parse_amount, required=True),
        Field("currency", parse_currency),
        Field("status", lambda t: parse_choice(t, FILE_STATUSES)),
        Field("invoice_number", lambda t: parse_text(t, 64)),
        Field("status_date", lambda t: parse_date(t, options.date_format)),  # the day the status took effect
    ]


def import_orders(conn: Connection, company: Company, path: Path, header: list[str], rows: list[SourceRow],
                  options: ImportOptions, actor: str) -> ImportResult:
    result = ImportResult("orders", str(path), rows=len(rows))
    specs = fields(options)
    check_header(path.name, header, specs)
    issues = RowIssues(path.name)
    parsed = flag_duplicates(parse_rows(rows, specs, issues), "order_number", issues)
    dating = Dating.load(conn, company.id, options)
    dating.book(conn, parsed, ORDER_DATE, issues, result)
    for item in parsed:  # a new order moved to the first open day: its status cannot take effect before it
        if item.source.row in result.moved and item.values["status_date"] is not None:
            item.values["status_date"] = max(item.values["status_date"], item.values["order_date"])
    customers = CustomerIndex.load(conn, company)
    existing = _existing(conn, company, [p.values["order_number"] for p in parsed])
    billed_on = _issue_dates(conn, company, [p.values["invoice_number"] for p in parsed if p.values["invoice_number"]]
                             + [o.invoice_number for o in existing.values() if o.invoice_number])
    gate = credit_settings_of(conn, company).checks_at("order")
    today = options.recorded_on or clock.today()
    staged, to_check, days = [], set(), {}
    for item in parsed:
        old = existing.get(item.values["order_number"])
        row = None if issues.has(item.source.row) else _row(item, customers, old, gate, issues)
        day = row and _effective_day(item, old, row[0], billed_on, today)
        if row is not None and (day := _open_day(dating, item, old, row[0], day, issues, result)):
            staged.append(row[0])
            days[item.source.row] = day
            if row[1]:
                to_check.add(item.source.row)
    sources = {p.source.row: p.source for p in parsed}
    settle = settler(result, issues, sources, "status", header, options, path)
    outcome = merge(conn, MERGE, company.id, staged, entity="order", actor=actor, settle=settle, want_ids=True)
    count(result, outcome)
    ids = {row: outcome.ids[row] for row in days if row in outcome.ids}
    note_changes(conn, company, {ids[row]: days[row] for row in ids}, actor,
                 opened_on={ids[row]: staged_row[3] for staged_row in staged if (row := staged_row[0]) in ids})
    gated = check_orders(conn, company, [ids[r] for r in sorted(to_check)], actor,
                         on={ids[r]: days[r] for r in to_check})
    blocked = [g.number for g in gated if g.decision == "block"]
    if gated:
        result.notes.append(f"credit check: {len(gated) - len(blocked)} passed, {len(blocked)} blocked"
                            + (f" ({', '.join(blocked)}: see `credo credit queue`)" if blocked else ""))
    return result


def _effective_day(item: Parsed, old, staged: tuple, billed_on: dict[str, date], today: date) -> date:
    """The day the row's state takes effect (see the module's note); never before the order date."""
    order_date, status, invoice = staged[3], staged[6], staged[7]
    said = item.values["status_date"] or (billed_on.get(invoice) if status == "invoiced" else None)
    if said is None:
        said = order_date if old is None else today
    return max(said, order_date)


def _open_day(dating: Dating, item: Parsed, old, staged: tuple, day: date, issues: RowIssues,
              result: ImportResult) -> date | None:
    """The day a change of an order in the ledger takes effect once the lock date is applied (the
    first open day when asked to move it); None after a row error. New orders moved with their date."""
    if old is None or tuple(old[1:]) == (staged[2], *staged[4:]) or not dating.lock.closes(day):
        return day
    booked = dating.lock.booking_day(day, to_open_period=dating.to_open_period)
    if booked is None:
        issues.add(item.source, "status_date", dating.lock.refusal(f"the change of order {staged[1]}", day))
    else:
        result.moved[item.source.row] = (day, booked)
    return booked


def _issue_dates(conn: Connection, company: Company, numbers: list[str]) -> dict[str, date]:
    """Invoice number -> issue date, for the invoices in the ledger."""
    i, numbers, found = invoices.c, sorted(set(numbers)), {}
    for start in range(0, len(numbers), 1000):
        found.update(conn.execute(select(i.number, i.issue_date).where(
            i.company_id == company.id, i.number.in_(numbers[start:start + 1000]))).all())
    return found


def _existing(conn: Connection, company: Company, numbers: list[str]) -> dict:
    o = orders.c
    found = {}
    for start in range(0, len(numbers), 1000):
        query = select(o.number, o.customer_id, o.currency, o.amount, o.status, o.invoice_number).where(
            o.company_id == company.id, o.number.in_(numbers[start:start + 1000]))
        found.update({row.number: row for row in conn.execute(query)})
    return found


def _row(item: Parsed, customers: CustomerIndex, old, gate: bool, issues: RowIssues) -> tuple[tuple, bool] | None:
    """The staged tuple and whether the order must pass the credit check, or None (a row error)."""
    v, source = item.values, item.source
    if v["status_date"] is not None and v["status_date"] < v["order_date"]:
        issues.add(source, "status_date", f"{v['status_date']} is before the order date {v['order_date']}")
        return None
    found = customers.amount_of(item, issues)
    if found is None:
        return None
    customer, currency, amount = found
    invoice = v["invoice_number"] or (old.invoice_number if old is not None else None)
    status, check = _status(v["status"] or "open", invoice, old, amount, currency, gate)
    return (source.row, v["order_number"], customer.id, v["order_date"], currency, amount, status, invoice), check


def _status(said: str, invoice: str | None, old, amount: int, currency: str, gate: bool) -> tuple[str, bool]:
    """The status to write, and whether the credit check must pass first."""
    if invoice is not None or said == "invoiced":
        return "invoiced", False
    if said == "cancelled":
        return "cancelled", False
    grows = old is not None and (old.currency != currency or amount > old.amount)
    if old is not None and (old.status == "blocked" or (old.status == "open" and not grows)):
        return old.status, False  # a re-import keeps what the credit check decided
    return ("blocked", True) if gate else ("open", False)


def billed_orders(conn: Connection, company: Company, parsed: list[Parsed], issues: RowIssues) -> dict[int, tuple]:
    """Invoice rows that name an order: row -> (order number, invoice number, issue date); an unknown
    order is a row error."""
    named = {p.source.row: (p.values["order_number"], p.values["invoice_number"], p.values["invoice_date"])
             for p in parsed if p.values.get("order_number") and not issues.has(p.source.row)}
    known = _existing(conn, company, sorted({order for order, _, _ in named.values()}))
    sources = {p.source.row: p.source for p in parsed}
    for row, (order, _, _) in list(named.items()):
        if order not in known:
            issues.add(sources[row], "order_number", f"unknown order {order!r}: import it with `credo import orders`")
            del named[row]
    return named


def mark_invoiced(conn: Connection, company: Company, billed: dict[int, tuple], actor: str) -> None:
    """An order an invoice names is invoiced from the invoice's issue date (it counts as a receivable
    from then, no more as an order). `billed`: row -> (order number, invoice number, issue date)."""
    o = orders.c
    for order, invoice, issued in billed.values():
        changed = conn.execute(update(orders).where(o.company_id == company.id, o.number == order,
                                                    o.invoice_number.is_(None)).values(
            status="invoiced", invoice_number=invoice).returning(o.id, o.order_date)).all()
        if changed:
            order_id, ordered = changed[0]
            note_changes(conn, company, {order_id: max(issued, ordered)}, actor)
            audit.record(conn, actor=actor, action="update", entity="order", key=order, company_id=company.id,
                         after={"status": "invoiced", "invoice_number": invoice})
