"""Write-offs (核销) of uncollectable balances, maker-checker (四眼原则), and their recoveries.

A request names invoices (or a customer: its whole open balance in one currency), an amount (default:
all that is open), a reason and the as-of date it is booked on; it waits for a second person holding
`write_offs_approve`, never the requester (no threshold lets anyone decide alone: no setting asks for
one). Approved, it is booked dated on its date as allocations of the write-off to the invoices, so
every as-of report shows it from that date and not before, and collections and net sales never count
it (docs/decisions.md). A recovery reinstates part or all of it as of its date, and applies the named
payment to it. Every step is audit-logged; deciding twice is a Conflict, never a second booking.
None is dated in a closed period (services/periods.py): a request, an approval or a recovery dated on
or before the lock date is refused, or with `to_open_period` dated the first open day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from sqlalchemy import Connection, func, insert, select, update

from credo import clock
from credo.domain.access import Permission
from credo.domain.approval import ApprovalLevel
from credo.domain.money import from_minor, to_minor
from credo.domain.risk.write_offs import lowest_open, recovered_base, spread
from credo.errors import Conflict, Forbidden, InvalidInput, NotFound
from credo.services import audit
from credo.services.allocations import insert_allocations
from credo.services.approvals import Person, holds, require_approver
from credo.services.companies import Company
from credo.services.periods import book_on
from credo.services.reports.common import Converter
from credo.store.tables import allocations, customers, invoices, payments
from credo.services.risk.write_off_list import list_write_offs, show_write_off
from credo.store.write_off_tables import write_off_lines, write_off_recoveries, write_offs

__all__ = ["request_write_off", "approve_write_off", "reject_write_off", "recover", "written_off", "recovered",
           "booked_between", "list_write_offs", "show_write_off"]

# Who approves a write-off: a controller (or an administrator), whatever its amount; never its requester.
LEVELS = (ApprovalLevel(None, "controller"),)


def may_approve(person: Person) -> bool:
    return holds(person, Permission.write_offs_approve)


def request_write_off(conn: Connection, company: Company, requester: Person, *, reason: str, on: date, today: date,
                      invoices_named: Sequence[str] = (), customer: str | None = None,
                      amount: Decimal | None = None, currency: str | None = None,
                      to_open_period: bool = False) -> dict[str, Any]:
    """Record a pending write-off of the named invoices (or the customer's open invoices), oldest due first."""
    if not reason.strip():
        raise InvalidInput("a write-off needs a reason")
    booked = book_on(conn, company.id, on, f"the write-off of {customer or ', '.join(invoices_named)}",
                     to_open_period=to_open_period)
    on = booked.day
    if on > today:
        raise InvalidInput(f"a write-off cannot be dated after today ({on} > {today})")
    rows = _candidates(conn, company, invoices_named, customer, currency, on)
    currency = rows[0].currency
    open_now = _writable(conn, [r.id for r in rows], on)
    available = [(r.id, open_now.get(r.id, 0)) for r in rows]
    total = sum(most for _, most in available)
    if amount is None:
        minor = total
    else:
        try:
            minor = to_minor(amount, currency)
        except ValueError as error:
            raise InvalidInput(f"amount: {error}") from None
        if minor <= 0:
            raise InvalidInput("a write-off's amount must be positive")
    if minor <= 0 or minor > total:
        raise InvalidInput(f"at most {from_minor(total, currency)} {currency} is open to write off as of {on}")
    lines = spread(minor, available)
    values = dict(company_id=company.id, customer_id=rows[0].customer_id, written_off_on=on, currency=currency,
                  amount=minor, reason=reason.strip()[:500], status="pending", requested_by=requester.name,
                  requested_at=clock.now())
    write_off_id = conn.execute(insert(write_offs).values(**values)).inserted_primary_key[0]
    conn.execute(insert(write_off_lines), [dict(company_id=company.id, write_off_id=write_off_id, invoice_id=key,
                                                amount=part) for key, part in lines])
    numbers = {r.id: r.number for r in rows}
    audit.record(conn, actor=requester.name, action="request", entity="write_off", key=str(write_off_id),
                 company_id=company.id, after={"written_off_on": on, "currency": currency,
                                               "amount": from_minor(minor, currency), "reason": values["reason"],
                                               "invoices": ",".join(numbers[k] for k, _ in lines),
                                               **booked.note})
    return show_write_off(conn, company, write_off_id)


def _candidates(conn: Connection, company: Company, numbers: Sequence[str], customer: str | None,
                currency: str | None, on: date) -> list:
    i, c = invoices.c, customers.c
    query = (select(i.id, i.number, i.customer_id, i.currency, i.issue_date, i.due_date)
             .join_from(invoices, customers, c.id == i.customer_id).where(i.company_id == company.id)
             .order_by(i.due_date, i.issue_date, i.number))
    if numbers:
        rows = conn.execute(query.where(i.number.in_(list(numbers)))).all()
        missing = sorted(set(numbers) - {r.number for r in rows})
        if missing:
            raise NotFound(f"no invoice {', '.join(missing)}")
        if customer and conn.execute(select(c.code).where(c.id == rows[0].customer_id)).scalar() != customer:
            raise InvalidInput(f"the invoices are not {customer}'s")
    elif customer:
        if conn.execute(select(c.id).where(c.company_id == company.id, c.code == customer)).first() is None:
            raise NotFound(f"no customer {customer!r}")
        # open today: what is writable as of any date is open today too (domain lowest_open)
        rows = conn.execute(query.where(c.code == customer, i.issue_date <= on, i.amount > i.paid_amount)).all()
        if currency:
            rows = [r for r in rows if r.currency == currency.upper()]
        if not rows:
            raise InvalidInput(f"{customer} has no invoice to write off as of {on}")
    else:
        raise InvalidInput("name the invoices or the customer to write off")
    if len({r.customer_id for r in rows}) > 1:
        raise InvalidInput("a write-off is of one customer's invoices")
    if len({r.currency for r in rows}) > 1:
        raise InvalidInput("a write-off is in one currency: name it (--currency) or the invoices")
    late = [r.number for r in rows if r.issue_date > on]
    if late:
        raise InvalidInput(f"{', '.join(late)} issued after {on}")
    return rows


def _writable(conn: Connection, invoice_ids: list[int], on: date, leave_out: int | None = None) -> dict[int, int]:
    """Per invoice: the least it stays open from `on` onwards, less what pending write-offs hold."""
    if not invoice_ids:
        return {}
    i, a, w, line = invoices.c, allocations.c, write_offs.c, write_off_lines.c
    amounts = dict(conn.execute(select(i.id, i.amount).where(i.id.in_(invoice_ids))).all())
    settled: dict[int, int] = {}
    later: dict[int, list] = {}
    for invoice_id, day, minor in conn.execute(select(a.invoice_id, a.alloc_date, a.amount)
                                               .where(a.invoice_id.in_(invoice_ids))):
        if day <= on:
            settled[invoice_id] = settled.get(invoice_id, 0) + minor
        else:
            later.setdefault(invoice_id, []).append((day, minor))
    pending = select(line.invoice_id, func.sum(line.amount)).join_from(
        write_off_lines, write_offs, w.id == line.write_off_id).where(
        line.invoice_id.in_(invoice_ids), w.status == "pending").group_by(line.invoice_id)
    if leave_out is not None:
        pending = pending.where(w.id != leave_out)
    held = dict(conn.execute(pending).all())
    return {key: max(lowest_open(amount, settled.get(key, 0), later.get(key, ())) - int(held.get(key, 0)), 0)
            for key, amount in amounts.items()}


def approve_write_off(conn: Connection, company: Company, write_off_id: int, approver: Person,
                      note: str = "", *, to_open_period: bool = False) -> dict[str, Any]:
    """Approve a pending write-off (four eyes: never its requester) and book it dated on its date (its
    period closed since the request: refused, or with `to_open_period` dated the first open day)."""
    row = _pending(conn, company, write_off_id)
    booked = book_on(conn, company.id, row.written_off_on, f"write-off {row.id}", to_open_period=to_open_period)
    on = booked.day
    base = Converter.load(conn, company, on).minor_into(row.currency)(row.amount)
    require_approver("a write-off", Permission.write_offs_approve, LEVELS, from_minor(base, company.base_currency),
                     row.requested_by, approver)
    lines = conn.execute(select(write_off_lines).where(write_off_lines.c.write_off_id == row.id)).all()
    room = _writable(conn, [x.invoice_id for x in lines], on, leave_out=row.id)
    short = [x for x in lines if x.amount > room.get(x.invoice_id, 0)]
    if short:
        raise Conflict(f"write-off {row.id}: the invoices are no longer that open as of {on}; "
                       "reject it and ask again")
    _decided(conn, row, approver, "approved", note, base_amount=base, written_off_on=on)
    insert_allocations(conn, company.id, [dict(invoice_id=x.invoice_id, write_off_id=row.id, amount=x.amount,
                                               alloc_date=on, source_date=on) for x in lines])
    for x in lines:
        conn.execute(update(invoices).where(invoices.c.id == x.invoice_id)
                     .values(paid_amount=invoices.c.paid_amount + x.amount))
    audit.record(conn, actor=approver.name, action="approve", entity="write_off", key=str(row.id),
                 company_id=company.id, before={"status": "pending"},
                 after={"status": "approved", "note": note.strip(), "written_off_on": on,
                        "amount": from_minor(row.amount, row.currency), "currency": row.currency,
                        "base_amount": from_minor(base, company.base_currency), **booked.note})
    return show_write_off(conn, company, row.id)


def reject_write_off(conn: Connection, company: Company, write_off_id: int, approver: Person,
                     note: str) -> dict[str, Any]:
    """Reject a pending write-off, saying why; nothing is booked."""
    row = _pending(conn, company, write_off_id)
    if not note.strip():
        raise InvalidInput("a rejection needs a note saying why")
    if not may_approve(approver):
        raise Forbidden(f"{approver.name} may not decide write-offs ({Permission.write_offs_approve.value})")
    _decided(conn, row, approver, "rejected", note)
    audit.record(conn, actor=approver.name, action="reject", entity="write_off", key=str(row.id),
                 company_id=company.id, before={"status": "pending"}, after={"status": "rejected", "note": note.strip()})
    return show_write_off(conn, company, row.id)


def _pending(conn: Connection, company: Company, write_off_id: int):
    row = _row(conn, company, write_off_id)
    if row.status != "pending":
        raise Conflict(f"write-off {write_off_id} is {row.status} already")
    return row


def _row(conn: Connection, company: Company, write_off_id: int):
    w = write_offs.c
    row = conn.execute(select(write_offs).where(w.company_id == company.id, w.id == write_off_id)).first()
    if row is None:
        raise NotFound(f"no write-off {write_off_id}")
    return row


def _decided(conn: Connection, row, who: Person, status: str, note: str, **values) -> None:
    w = write_offs.c
    done = conn.execute(update(write_offs).where(w.id == row.id, w.status == "pending").values(
        status=status, decided_by=who.name, decided_at=clock.now(),
        decision_note=note.strip()[:500] or None, **values))
    if done.rowcount != 1:  # decided meanwhile by someone else
        raise Conflict(f"write-off {row.id} is decided already")


def recover(conn: Connection, company: Company, write_off_id: int, actor: str, *, on: date,
            amount: Decimal | None = None, payment: str | None = None, note: str = "",
            to_open_period: bool = False) -> dict[str, Any]:
    """The customer pays after all: reinstate the write-off (all that is left of it, or `amount`) as of
    `on`, its invoices first to last, and apply the named payment (dated on or before `on`) to them."""
    row = _row(conn, company, write_off_id)
    booked = book_on(conn, company.id, on, f"the recovery of write-off {write_off_id}", to_open_period=to_open_period)
    on = booked.day
    if row.status != "approved":
        raise Conflict(f"write-off {write_off_id} is {row.status}: only a booked write-off can be recovered")
    if on < row.written_off_on:
        raise InvalidInput(f"a recovery cannot be dated before the write-off ({on} < {row.written_off_on})")
    left = row.amount - row.recovered_amount
    if left <= 0:
        raise Conflict(f"write-off {write_off_id} is recovered in full already")
    paid = _payment(conn, company, row, payment, on) if payment else None
    if amount is None:
        minor = min(left, paid.amount - paid.applied_amount) if paid else left
    else:
        try:
            minor = to_minor(amount, row.currency)
        except ValueError as error:
            raise InvalidInput(f"amount: {error}") from None
    if minor <= 0 or minor > left:
        raise InvalidInput(f"at most {from_minor(left, row.currency)} {row.currency} of write-off "
                           f"{write_off_id} is left to recover")
    if paid and minor > paid.amount - paid.applied_amount:
        raise InvalidInput(f"payment {payment} has only {from_minor(paid.amount - paid.applied_amount, row.currency)} "
                           f"{row.currency} unapplied")
    lines = conn.execute(select(write_off_lines).where(write_off_lines.c.write_off_id == row.id)
                         .order_by(write_off_lines.c.id)).all()
    parts = spread(minor, [(x, x.amount - x.recovered_amount) for x in lines])
    made = []
    for line, part in parts:
        made.append(dict(invoice_id=line.invoice_id, write_off_id=row.id, alloc_date=on,
                         source_date=row.written_off_on, amount=-part))
        if paid:  # reinstated, then paid as usual, the same day
            made.append(dict(invoice_id=line.invoice_id, payment_id=paid.id, alloc_date=on,
                             source_date=paid.payment_date, amount=part))
        else:
            conn.execute(update(invoices).where(invoices.c.id == line.invoice_id)
                         .values(paid_amount=invoices.c.paid_amount - part))
        conn.execute(update(write_off_lines).where(write_off_lines.c.id == line.id)
                     .values(recovered_amount=write_off_lines.c.recovered_amount + part))
    insert_allocations(conn, company.id, made)  # their invoices looked up once
    if paid:
        conn.execute(update(payments).where(payments.c.id == paid.id)
                     .values(applied_amount=payments.c.applied_amount + minor))
    r = write_off_recoveries.c
    base_before = conn.execute(select(func.coalesce(func.sum(r.base_amount), 0))
                               .where(r.write_off_id == row.id)).scalar()
    base = recovered_base(row.base_amount, row.amount, row.recovered_amount, minor, int(base_before))
    conn.execute(update(write_offs).where(write_offs.c.id == row.id)
                 .values(recovered_amount=write_offs.c.recovered_amount + minor))
    conn.execute(insert(write_off_recoveries).values(
        company_id=company.id, write_off_id=row.id, recovered_on=on, amount=minor, base_amount=base,
        payment_id=paid.id if paid else None, note=note.strip()[:500] or None, recorded_by=actor,
        recorded_at=clock.now()))
    audit.record(conn, actor=actor, action="recover", entity="write_off", key=str(row.id), company_id=company.id,
                 before={"recovered_amount": from_minor(row.recovered_amount, row.currency)},
                 after={"recovered_amount": from_minor(row.recovered_amount + minor, row.currency),
                        "recovered_on": on, "payment": payment, "note": note.strip(), **booked.note})
    return show_write_off(conn, company, row.id)


def _payment(conn: Connection, company: Company, row, ref: str, on: date):
    p = payments.c
    found = conn.execute(select(payments).where(p.company_id == company.id, p.ref == ref)).first()
    if found is None:
        raise NotFound(f"no payment {ref!r}")
    if found.customer_id != row.customer_id or found.currency != row.currency:
        raise InvalidInput(f"payment {ref} is not the written-off customer's in {row.currency}")
    if found.reversed_on is not None:
        raise Conflict(f"payment {ref} was reversed on {found.reversed_on}")
    if found.payment_date > on:
        raise InvalidInput(f"payment {ref} is dated {found.payment_date}, after the recovery date {on}")
    return found


def written_off(conn: Connection, company: Company, start: date, end: date) -> Decimal:
    """Write-offs booked in (start, end], in the base currency at their dates' rates."""
    w = write_offs.c
    total = conn.execute(select(func.coalesce(func.sum(w.base_amount), 0)).where(
        w.company_id == company.id, w.status == "approved", w.written_off_on > start, w.written_off_on <= end)).scalar()
    return from_minor(int(total), company.base_currency)


def recovered(conn: Connection, company: Company, start: date, end: date) -> Decimal:
    """Recoveries dated in (start, end], in the base currency at their write-offs' rates."""
    r = write_off_recoveries.c
    total = conn.execute(select(func.coalesce(func.sum(r.base_amount), 0)).where(
        r.company_id == company.id, r.recovered_on > start, r.recovered_on <= end)).scalar()
    return from_minor(int(total), company.base_currency)


def booked_between(conn: Connection, company: Company, start: date, end: date) -> list[dict[str, Any]]:
    """The write-offs and recoveries dated in (start, end], oldest first: what the journal books."""
    w, r, c = write_offs.c, write_off_recoveries.c, customers.c
    base = company.base_currency
    offs = conn.execute(select(w.id, w.written_off_on, w.base_amount, w.reason, c.code)
                        .join_from(write_offs, customers, c.id == w.customer_id)
                        .where(w.company_id == company.id, w.status == "approved", w.written_off_on > start,
                               w.written_off_on <= end).order_by(w.written_off_on, w.id)).all()
    backs = conn.execute(select(r.id, r.recovered_on, r.base_amount, r.write_off_id, c.code)
                         .join_from(write_off_recoveries, write_offs, w.id == r.write_off_id)
                         .join(customers, c.id == w.customer_id)
                         .where(r.company_id == company.id, r.recovered_on > start, r.recovered_on <= end)
                         .order_by(r.recovered_on, r.id)).all()
    return ([{"kind": "write_off", "day": x.written_off_on, "amount": from_minor(x.base_amount, base),
              "memo": f"write-off WO-{x.id} {x.code}: {x.reason}"} for x in offs]
            + [{"kind": "recovery", "day": x.recovered_on, "amount": from_minor(x.base_amount, base),
                "memo": f"recovery of WO-{x.write_off_id} {x.code}"} for x in backs])
