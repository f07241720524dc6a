"""The credit queue: orders, deliveries and invoices a credit check blocked, until a credit
manager releases them with a reason (audit-logged). A released order is open again and counts in
the exposure; a released invoice was booked all along (an invoice is a fact from the ERP), its
release records that the credit manager has seen it (docs/decisions.md)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.credit.check import CheckResult
from credo.domain.money import from_minor
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.companies import Company
from credo.services.credit.order_history import note_changes
from credo.services.periods import booking_day
from credo.store.tables import customers
from credo.store.limit_tables import credit_queue, orders

STATUSES = ("blocked", "released")


def enqueue(conn: Connection, company: Company, *, customer_id: int, point: str, number: str, currency: str,
            amount: int, as_of: date, result: CheckResult, actor: str) -> int:
    """Put a blocked document in the queue with the check's reasons; its id."""
    reasons = [r.to_json() for r in result.reasons]
    values = dict(company_id=company.id, customer_id=customer_id, point=point, number=number, currency=currency,
                  amount=amount, as_of=as_of, reasons=json.dumps(reasons, ensure_ascii=False), status="blocked",
                  created_by=actor, created_at=clock.now())
    item_id = conn.execute(insert(credit_queue).values(**values)).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="block", entity=f"credit_queue_{point}", key=number, company_id=company.id,
                 after={"item": item_id, "amount": from_minor(amount, currency), "currency": currency,
                        "reasons": ",".join(r["code"] for r in reasons)})
    return item_id


def list_queue(conn: Connection, company: Company, scope: Scope, status: str | None = "blocked", *,
               item_id: int | None = None, number: str | None = None) -> list[dict]:
    """Queue items oldest first; status blocked (default), released, or None for all; one item,
    or the items of one document number."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status {status!r}: use blocked, released or all")
    q, k = credit_queue.c, customers.c
    query = (select(credit_queue, k.code.label("customer_code"), k.name.label("customer_name"))
             .select_from(credit_queue.join(customers, k.id == q.customer_id))
             .where(q.company_id == company.id, scope.customers()).order_by(q.id))
    if status is not None:
        query = query.where(q.status == status)
    if item_id is not None:
        query = query.where(q.id == item_id)
    if number is not None:
        query = query.where(q.number == number)
    return [_item(row) for row in conn.execute(query)]


def _item(row) -> dict[str, Any]:
    moment = lambda m: m and audit.as_utc(m).isoformat()  # noqa: E731
    return {"id": row.id, "point": row.point, "number": row.number, "customer": row.customer_code,
            "customer_name": row.customer_name, "amount": str(from_minor(row.amount, row.currency)),
            "currency": row.currency, "as_of": row.as_of.isoformat(), "reasons": json.loads(row.reasons),
            "status": row.status, "created_by": row.created_by, "created_at": moment(row.created_at),
            "released_by": row.released_by, "released_at": moment(row.released_at),
            "release_reason": row.release_reason}


def release(conn: Connection, company: Company, scope: Scope, item_id: int, reason: str, actor: str,
            on: date | None = None) -> dict:
    """Release one blocked item with the reason; a blocked order is open again from the day of the
    release (`on`, default today, never in a closed period), and counts in the exposure from then."""
    if not reason.strip():
        raise InvalidInput("a release needs a reason")
    found = list_queue(conn, company, scope, None, item_id=item_id)
    if not found:
        raise NotFound(f"no credit queue item {item_id}")
    item = found[0]
    if item["status"] != "blocked":
        raise Conflict(f"credit queue item {item_id} was released already, by {item['released_by']}")
    if item["point"] in ("order", "delivery"):  # the order is open again from the day: its history changes
        on = booking_day(conn, company.id, on or clock.today(), f"the release of order {item['number']}")
    conn.execute(update(credit_queue).where(credit_queue.c.id == item_id).values(
        status="released", released_by=actor, released_at=clock.now(), release_reason=reason.strip()))
    if item["point"] in ("order", "delivery"):
        opened = conn.execute(update(orders).where(orders.c.company_id == company.id, orders.c.number == item["number"],
                                                   orders.c.status == "blocked").values(status="open")
                              .returning(orders.c.id)).scalars().all()
        note_changes(conn, company, {order_id: on for order_id in opened}, actor)
    audit.record(conn, actor=actor, action="release", entity=f"credit_queue_{item['point']}", key=item["number"],
                 company_id=company.id, before={"status": "blocked"},
                 after={"item": item_id, "status": "released", "reason": reason.strip()})
    return {**item, "status": "released", "released_by": actor, "release_reason": reason.strip()}
