"""The check points (where a company's settings put them): no path books exposure around the check.

- `order`: a new order, a reopened (cancelled -> open) one and one whose amount grows are written
  `blocked`, then checked in the order they came; one that passes (approve or warn) is `open`,
  one that fails stays `blocked` and waits in the credit queue.
- `delivery`: a delivery of an open order is checked first; a failed one blocks the order.
- `invoice`: an invoice is a fact from the ERP, so it is booked whatever the check says; one that
  fails waits in the queue for the credit manager's review (docs/decisions.md).
Credit notes and payments only lower the exposure: they are never checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Mapping

from sqlalchemy import Connection, select, update

from credo.errors import Conflict, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.companies import Company
from credo.services.credit.check import CreditCheck, assess
from credo.services.credit.lines import Holder
from credo.services.credit.order_history import note_changes
from credo.services.credit.queue import enqueue
from credo.services.credit.settings import credit_settings_of
from credo.services.periods import booking_day
from credo.services.reports.common import Converter
from credo.store.tables import customer_groups, customers, invoices
from credo.store.limit_tables import orders


@dataclass(frozen=True)
class Gated:
    point: str
    number: str
    decision: str
    queue_item: int | None  # the queue item when blocked
    check: CreditCheck

    def to_json(self) -> dict:
        return {"point": self.point, "number": self.number, "decision": self.decision,
                "queue_item": self.queue_item, "check": self.check.to_json()}


class Converters(dict):
    """One converter per as-of date, for a file of documents dated over many days."""

    def __init__(self, conn: Connection, company: Company):
        super().__init__()
        self.conn, self.company = conn, company

    def __missing__(self, day: date) -> Converter:
        self[day] = found = Converter.load(self.conn, self.company, day)
        return found


def _documents(conn: Connection, table, ids: Iterable[int], scope: Scope = EVERYONE):
    k, g, t = customers.c, customer_groups.c, table.c
    query = (select(table, k.code.label("customer_code"), k.group_id, g.code.label("group_code"))
             .select_from(table.join(customers, k.id == t.customer_id)
                          .outerjoin(customer_groups, g.id == k.group_id))
             .where(t.id.in_(list(ids)), scope.customers()))
    return {row.id: row for row in conn.execute(query)}


def _holder(conn: Connection, row) -> Holder:
    """Whose exposure the document adds to, locked until the transaction ends (PostgreSQL; SQLite
    has one writer at a time): two orders of one customer or group, entered at the same moment,
    are checked one after the other, each seeing the other's exposure."""
    conn.execute(select(customers.c.id).where(customers.c.id == row.customer_id).with_for_update())
    if row.group_id is not None:
        conn.execute(select(customer_groups.c.id).where(customer_groups.c.id == row.group_id).with_for_update())
    return Holder(row.customer_id, row.customer_code, row.group_id, row.group_code)


def check_orders(conn: Connection, company: Company, order_ids: list[int], actor: str,
                 on: Mapping[int, date] | None = None) -> list[Gated]:
    """Check orders written `blocked` for the check, one after the other (each passed one counts
    in the next one's exposure), each as of the day it was entered or changed (`on`, default its
    order date): passed ones become `open`, failed ones go to the queue."""
    rows, convert, done, on = _documents(conn, orders, order_ids), Converters(conn, company), [], on or {}
    for order_id in order_ids:
        row = rows[order_id]
        day = on.get(order_id, row.order_date)
        done.append(_gate(conn, company, row, "order", day, convert[day], actor))
    return done


def _gate(conn: Connection, company: Company, row, point: str, as_of: date, convert: Converter,
          actor: str) -> Gated:
    check = assess(conn, company, _holder(conn, row), convert(row.amount, row.currency), as_of, convert,
                   excluding_order=row.number)
    item = None
    if check.decision == "block":
        conn.execute(update(orders).where(orders.c.id == row.id).values(status="blocked"))
        item = enqueue(conn, company, customer_id=row.customer_id, point=point, number=row.number,
                       currency=row.currency, amount=row.amount, as_of=as_of, result=check.result, actor=actor)
    elif point == "order":
        conn.execute(update(orders).where(orders.c.id == row.id).values(status="open"))
    note_changes(conn, company, {row.id: as_of}, actor)
    audit.record(conn, actor=actor, action="credit_check", entity="order", key=row.number, company_id=company.id,
                 after={"point": point, "decision": check.decision,
                        "reasons": ",".join(r.code for r in check.result.reasons)})
    return Gated(point, row.number, check.decision, item, check)


def deliver(conn: Connection, company: Company, scope: Scope, number: str, on: date, actor: str) -> dict:
    """Record the delivery of an open order, after the credit check where `delivery` is a check point
    (never dated in a closed period: the check's decision changes the order's history on the day)."""
    o = orders.c
    order_id = conn.execute(select(o.id).where(o.company_id == company.id, o.number == number)).scalar()
    row = _documents(conn, orders, [order_id] if order_id else [], scope).get(order_id)
    if row is None:
        raise NotFound(f"no order {number!r}")
    if row.status != "open" or row.delivered_on is not None:
        raise Conflict(f"order {number} is {row.status}{', delivered already' if row.delivered_on else ''}: "
                       "only an open order not yet delivered can be delivered")
    booking_day(conn, company.id, on, f"the delivery of order {number}")
    gated = None
    if credit_settings_of(conn, company).checks_at("delivery"):
        gated = _gate(conn, company, row, "delivery", on, Converter.load(conn, company, on), actor)
        if gated.decision == "block":
            return {"number": number, "delivered_on": None, "status": "blocked", "credit_check": gated.to_json()}
    conn.execute(update(orders).where(o.id == row.id).values(delivered_on=on))
    audit.record(conn, actor=actor, action="deliver", entity="order", key=number, company_id=company.id,
                 after={"delivered_on": on})
    return {"number": number, "delivered_on": on.isoformat(), "status": "open",
            "credit_check": gated and gated.to_json()}


def check_invoices(conn: Connection, company: Company, invoice_ids: list[int], actor: str) -> list[Gated]:
    """Check newly booked invoices; a failed one stays booked and waits in the queue for review."""
    rows, convert, done = _documents(conn, invoices, invoice_ids), Converters(conn, company), []
    for invoice_id in invoice_ids:
        row = rows[invoice_id]
        # The invoice is booked: its amount is in the exposure already, so nothing is added to it.
        check = assess(conn, company, _holder(conn, row), Decimal(0), row.issue_date, convert[row.issue_date])
        item = None
        if check.decision == "block":
            item = enqueue(conn, company, customer_id=row.customer_id, point="invoice", number=row.number,
                           currency=row.currency, amount=row.amount, as_of=row.issue_date, result=check.result,
                           actor=actor)
        done.append(Gated("invoice", row.number, check.decision, item, check))
    return done
