"""Escalation cases (委外催收 / 法律诉讼): a customer's debt handed to a collection agency or to
legal action, with what it is expected to bring and cost (the manager weighs the net), the
amounts recovered as they come, and the closing. Amounts in the base currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.money import ZERO, from_minor, to_minor
from credo.domain.worklist import case_outlook
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.browse.customers import customer_row
from credo.services.collections.worklist import overdue_by_customer
from credo.services.companies import Company
from credo.services.reports.common import money_text
from credo.store import queries
from credo.store.collections_tables import collection_cases
from credo.store.tables import customers

CASE_KINDS = ("agency", "legal")


def _minor(amount: Decimal, currency: str) -> int:
    try:
        return to_minor(amount, currency)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def _json(row, currency: str) -> dict:
    money = {name: from_minor(getattr(row, name), currency)
             for name in ("amount", "expected_recovery", "expected_cost", "recovered")}
    return {"id": row.id, "customer": row.customer, "name": row.name, "kind": row.kind,
            "opened_on": row.opened_on.isoformat(), "handler": row.handler, "currency": currency,
            **{name: money_text(value) for name, value in money.items()},
            "net_expected": money_text(money["expected_recovery"] - money["expected_cost"]),
            "status": row.status, "closed_on": row.closed_on and row.closed_on.isoformat(), "notes": row.notes}


def _query():
    k, c = collection_cases.c, customers.c
    return (select(collection_cases, c.code.label("customer"), c.name)
            .select_from(collection_cases.join(customers, c.id == k.customer_id)))


def case_row(conn: Connection, company: Company, scope: Scope, case_id: int):
    k = collection_cases.c
    row = conn.execute(_query().where(k.company_id == company.id, k.id == case_id, scope.customers())).first()
    if row is None:
        raise NotFound(f"no collection case {case_id}")
    return row


def open_case(conn: Connection, company: Company, scope: Scope, code: str, kind: str, handler: str,
              opened_on: date, actor: str, recovery_rate: Decimal, amount: Decimal | None = None,
              fixed_cost: Decimal = ZERO, commission_rate: Decimal = ZERO, notes: str | None = None,
              accept_loss: bool = False) -> dict:
    """Hand a customer's debt over: the amount defaults to its overdue open amount on the day;
    expected recovery = amount x rate, expected cost = fixed cost + commission on the recovery.
    A case expected to cost more than it recovers opens only with `accept_loss` (the person
    confirms it, and the audit log keeps that they did)."""
    if kind not in CASE_KINDS:
        raise InvalidInput(f"case kind {kind!r}: agency or legal")
    if not handler.strip():
        raise InvalidInput("name the agency or the law firm (the handler)")
    row = customer_row(conn, company, scope, code)
    currency = company.base_currency
    if amount is None:
        among = queries.among_customers(company.id, customers.c.id == row.id)
        amount = overdue_by_customer(conn, company, opened_on, among).get(row.id, (ZERO, None))[0]
        if amount <= 0:
            raise InvalidInput(f"{code} has nothing overdue on {opened_on}: give the amount handed over")
    try:
        outlook = case_outlook(amount, currency, recovery_rate, fixed_cost, commission_rate)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if outlook.net < 0 and not accept_loss:
        raise InvalidInput(
            f"the expected recovery of {money_text(outlook.expected_recovery)} {currency} is below the expected cost "
            f"of {money_text(outlook.expected_cost)} {currency} (net {money_text(outlook.net)}): confirm that the "
            f"loss is accepted to open the case (CLI --accept-loss, API accept_loss, the page's checkbox)")
    handed = _minor(outlook.amount, currency)
    values = dict(company_id=company.id, customer_id=row.id, kind=kind, opened_on=opened_on, handler=handler.strip(),
                  amount=handed, expected_recovery=to_minor(outlook.expected_recovery, currency),
                  expected_cost=to_minor(outlook.expected_cost, currency), status="open", recovered=0,
                  notes=(notes or "").strip() or None, created_at=clock.now(), actor=actor)
    case_id = conn.execute(insert(collection_cases).values(**values)).inserted_primary_key[0]
    done = _json(case_row(conn, company, scope, case_id), currency)
    audit.record(conn, actor=actor, action="open", entity="collection_case", key=str(case_id), company_id=company.id,
                 after={**{k: done[k] for k in ("customer", "kind", "handler", "amount", "expected_recovery",
                                                "expected_cost", "opened_on")},
                        **({"loss_accepted": True} if outlook.net < 0 else {})})
    return done


def _open(conn, company, scope, case_id):
    row = case_row(conn, company, scope, case_id)
    if row.status != "open":
        raise Conflict(f"collection case {case_id} is closed")
    return row


def record_recovery(conn: Connection, company: Company, scope: Scope, case_id: int, amount: Decimal,
                    actor: str, *, on: date | None = None) -> dict:
    """Add an amount the handler recovered (the payment itself is booked in the ledger); `on`, the
    day it was recovered when given, is kept in the audit log (not before the case opened)."""
    if amount <= 0:
        raise InvalidInput("a recovered amount must be positive")
    row = _open(conn, company, scope, case_id)
    if on is not None and on < row.opened_on:
        raise InvalidInput(f"a recovery on {on} is before the case opened ({row.opened_on})")
    recovered = row.recovered + _minor(amount, company.base_currency)
    conn.execute(update(collection_cases).where(collection_cases.c.id == case_id).values(recovered=recovered))
    after = {"recovered": recovered} | ({"recovered_on": on} if on is not None else {})
    audit.record(conn, actor=actor, action="recover", entity="collection_case", key=str(case_id),
                 company_id=company.id, before={"recovered": row.recovered}, after=after)
    return _json(case_row(conn, company, scope, case_id), company.base_currency)


def close_case(conn: Connection, company: Company, scope: Scope, case_id: int, closed_on: date, actor: str,
               notes: str | None = None) -> dict:
    row = _open(conn, company, scope, case_id)
    if closed_on < row.opened_on:
        raise InvalidInput("a case cannot close before it opened")
    text = "\n".join(t for t in (row.notes, (notes or "").strip()) if t) or None
    conn.execute(update(collection_cases).where(collection_cases.c.id == case_id)
                 .values(status="closed", closed_on=closed_on, notes=text))
    audit.record(conn, actor=actor, action="close", entity="collection_case", key=str(case_id),
                 company_id=company.id, before={"status": "open"}, after={"status": "closed", "closed_on": closed_on})
    return _json(case_row(conn, company, scope, case_id), company.base_currency)


def list_cases(conn: Connection, company: Company, scope: Scope, status: str | None = None,
               code: str | None = None) -> list[dict]:
    """Cases the scope sees, newest first; of one status or one customer when given."""
    k = collection_cases.c
    query = _query().where(k.company_id == company.id, scope.customers())
    if status is not None:
        query = query.where(k.status == status)
    if code is not None:
        query = query.where(customers.c.code == code)
    return [_json(r, company.base_currency) for r in conn.execute(query.order_by(k.opened_on.desc(), k.id.desc()))]
