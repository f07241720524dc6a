"""Write-offs as lists and records for the adapters: newest first within a portfolio, each with its
invoices and recoveries (amounts as decimal strings in the write-off's currency)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from credo.domain.money import from_minor
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.companies import Company
from credo.store.tables import customers, invoices, payments
from credo.store.write_off_tables import WRITE_OFF_STATUSES, write_off_lines, write_off_recoveries, write_offs


def _query(company: Company):
    w, c = write_offs.c, customers.c
    return (select(write_offs, c.code.label("customer_code"), c.name.label("customer_name"))
            .join_from(write_offs, customers, c.id == w.customer_id).where(w.company_id == company.id))


def _json(conn: Connection, company: Company, row) -> dict[str, Any]:
    moment = lambda m: m and audit.as_utc(m).isoformat()  # noqa: E731
    line, i, r = write_off_lines.c, invoices.c, write_off_recoveries.c
    lines = conn.execute(select(i.number, line.amount, line.recovered_amount)
                         .join_from(write_off_lines, invoices, i.id == line.invoice_id)
                         .where(line.write_off_id == row.id).order_by(line.id)).all()
    backs = conn.execute(select(r.recovered_on, r.amount, r.note, r.recorded_by, payments.c.ref)
                         .outerjoin_from(write_off_recoveries, payments, payments.c.id == r.payment_id)
                         .where(r.write_off_id == row.id).order_by(r.id)).all()
    money = lambda minor: str(from_minor(minor, row.currency))  # noqa: E731
    return {"id": row.id, "number": f"WO-{row.id}", "customer": row.customer_code,
            "customer_name": row.customer_name, "written_off_on": row.written_off_on.isoformat(),
            "currency": row.currency, "amount": money(row.amount),
            "base_amount": None if row.base_amount is None else str(from_minor(row.base_amount, company.base_currency)),
            "recovered_amount": money(row.recovered_amount), "reason": row.reason, "status": row.status,
            "requested_by": row.requested_by, "requested_at": moment(row.requested_at),
            "decided_by": row.decided_by, "decided_at": moment(row.decided_at), "decision_note": row.decision_note,
            "invoices": [{"invoice": x.number, "amount": money(x.amount), "recovered": money(x.recovered_amount)}
                         for x in lines],
            "recoveries": [{"recovered_on": x.recovered_on.isoformat(), "amount": money(x.amount),
                            "payment": x.ref, "note": x.note, "recorded_by": x.recorded_by} for x in backs]}


def list_write_offs(conn: Connection, company: Company, status: str | None = None,
                    scope: Scope = EVERYONE) -> list[dict[str, Any]]:
    """Write-offs newest first, optionally of one status (pending, approved, rejected), within the scope."""
    if status and status not in WRITE_OFF_STATUSES:
        raise InvalidInput(f"status {status!r}: use one of {', '.join(WRITE_OFF_STATUSES)}")
    query = _query(company).where(scope.customers()).order_by(write_offs.c.id.desc())
    if status:
        query = query.where(write_offs.c.status == status)
    return [_json(conn, company, row) for row in conn.execute(query).all()]


def show_write_off(conn: Connection, company: Company, write_off_id: int) -> dict[str, Any]:
    row = conn.execute(_query(company).where(write_offs.c.id == write_off_id)).first()
    if row is None:
        raise NotFound(f"no write-off {write_off_id}")
    return _json(conn, company, row)
