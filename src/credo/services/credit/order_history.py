"""Order history (order_events): every state an order takes, effective on a date, so that the
exposure as of a past day counts the orders that were open on that day, at that day's amount.

Writers change `orders` (the latest state) as before and then call `note_changes` with the day
each change takes effect; it appends an event only where the state differs from the last one
written, so a re-import or a re-run writes nothing. The days (docs/decisions.md):
- a new order is opened on its order date (blocked first where the credit check runs there);
- a change from a file takes effect on the row's `status_date`, else (invoiced) on the billing
  invoice's issue date when it is in the ledger, else on the day it is recorded;
- a credit check's decision on the day it checks (order date, change day or delivery date); a
  release from the credit queue on the day of the release.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Mapping

from sqlalchemy import Connection, Select, func, insert, select

from credo import clock
from credo.domain.money import from_minor
from credo.errors import NotFound
from credo.services.access import EVERYONE, Scope
from credo.services.companies import Company
from credo.store.limit_tables import order_events, orders
from credo.store.tables import customers

STATE = ("customer_id", "status", "currency", "amount", "invoice_number")
_CHUNK = 500


def note_changes(conn: Connection, company: Company, effective: Mapping[int, date], actor: str, *,
                 opened_on: Mapping[int, date] | None = None) -> int:
    """Write an event for each order (id -> the day its change takes effect) whose state differs
    from its last event; how many were written. An order with no history that arrives already
    invoiced or cancelled was open from `opened_on[id]` (its order date) until its effective day."""
    opened_on, ids, at = opened_on or {}, sorted(effective), clock.now()
    rows = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        current = {row.id: row for row in conn.execute(select(orders.c.id, *_state(orders)).where(
            orders.c.company_id == company.id, orders.c.id.in_(chunk)))}
        last = _last_states(conn, chunk)
        for order_id in chunk:
            row = current.get(order_id)
            if row is None or last.get(order_id) == _state_of(row):
                continue
            state = dict(zip(STATE, _state_of(row)))
            first = opened_on.get(order_id)
            if order_id not in last and first is not None and first < effective[order_id] \
                    and state["status"] in ("invoiced", "cancelled"):
                rows.append(_event(company, order_id, first, {**state, "status": "open", "invoice_number": None},
                                   actor, at))
            rows.append(_event(company, order_id, effective[order_id], state, actor, at))
    if rows:
        conn.execute(insert(order_events), rows)
    return len(rows)


def _state(table) -> list:
    return [table.c[name] for name in STATE]


def _state_of(row) -> tuple:
    return tuple(getattr(row, name) for name in STATE)


def _event(company: Company, order_id: int, on: date, state: dict, actor: str, at: datetime) -> dict:
    return {"company_id": company.id, "order_id": order_id, "effective_on": on, **state, "actor": actor, "at": at}


def _last_states(conn: Connection, order_ids: list[int]) -> dict[int, tuple]:
    """Each order's last written state (the latest event id, whatever its effective day)."""
    e = order_events.c
    latest = select(func.max(e.id)).where(e.order_id.in_(order_ids)).group_by(e.order_id)
    return {row.order_id: _state_of(row)
            for row in conn.execute(select(e.order_id, *_state(order_events)).where(e.id.in_(latest)))}


def states_as_of(company_id: int, as_of: date, among: Select):
    """Subquery: the state in force on the day of each order that belonged to a customer `among`
    selects at some time (filter its `customer_id` again: an order can move to another customer)."""
    e = order_events.c
    ever = select(e.order_id).where(e.company_id == company_id, e.customer_id.in_(among))
    rank = func.row_number().over(partition_by=e.order_id, order_by=(e.effective_on.desc(), e.id.desc()))
    ranked = (select(e.order_id, *_state(order_events), rank.label("rank"))
              .where(e.company_id == company_id, e.effective_on <= as_of, e.order_id.in_(ever))
              .subquery())
    return select(ranked).where(ranked.c.rank == 1).subquery("order_states")


def history(conn: Connection, company: Company, number: str, scope: Scope = EVERYONE) -> list[dict]:
    """An order's events, in the order they take effect; NotFound outside the scope's customers."""
    e = order_events.c
    query = (select(order_events).join(orders, orders.c.id == e.order_id)
             .join(customers, customers.c.id == orders.c.customer_id)
             .where(orders.c.company_id == company.id, orders.c.number == number, scope.customers())
             .order_by(e.effective_on, e.id))
    events = [{"effective_on": row.effective_on.isoformat(), "status": row.status, "currency": row.currency,
               "amount": str(from_minor(row.amount, row.currency)), "invoice_number": row.invoice_number,
               "actor": row.actor} for row in conn.execute(query)]
    if not events:
        raise NotFound(f"no order {number!r}")
    return events
