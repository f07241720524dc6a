"""The activity log (联系记录): every call, email, SMS, letter, visit, meeting or note with a
customer, with whom, about which invoice, what came of it, and when to follow up. A follow-up date
raises a `follow_up` task for that day, assigned to the customer's collector."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from credo import clock
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.browse.customers import customer_row
from credo.services.collections.tasks import create_task
from credo.services.companies import Company
from credo.store.collections_tables import ACTIVITY_KINDS, activities
from credo.store.tables import invoices


@dataclass(frozen=True)
class Activity:
    """One contact with a customer, as logged."""

    kind: str  # call, email, sms, letter, visit, meeting, note
    occurred_on: date
    contact: str | None = None  # the customer's person spoken to
    invoice: str | None = None  # an invoice number it was about
    outcome: str | None = None
    notes: str | None = None
    next_follow_up: date | None = None


def _invoice_id(conn: Connection, company: Company, customer_id: int, number: str | None) -> int | None:
    if not number:
        return None
    i = invoices.c
    found = conn.execute(select(i.id).where(i.company_id == company.id, i.customer_id == customer_id,
                                            i.number == number)).scalar()
    if found is None:
        raise NotFound(f"the customer has no invoice {number!r}")
    return found


def log_activity(conn: Connection, company: Company, scope: Scope, code: str, activity: Activity,
                 actor: str) -> dict:
    """Log a contact (audit-logged); a next follow-up date raises a follow-up task for that day."""
    if activity.kind not in ACTIVITY_KINDS:
        raise InvalidInput(f"activity kind {activity.kind!r}: use one of {', '.join(ACTIVITY_KINDS)}")
    if activity.next_follow_up is not None and activity.next_follow_up < activity.occurred_on:
        raise InvalidInput("the next follow-up cannot come before the contact")
    row = customer_row(conn, company, scope, code)
    values = dict(company_id=company.id, customer_id=row.id, kind=activity.kind, occurred_on=activity.occurred_on,
                  contact=(activity.contact or "").strip()[:200] or None,
                  invoice_id=_invoice_id(conn, company, row.id, activity.invoice),
                  outcome=(activity.outcome or "").strip()[:200] or None, notes=(activity.notes or "").strip() or None,
                  next_follow_up=activity.next_follow_up, created_at=clock.now(), actor=actor)
    activity_id = conn.execute(insert(activities).values(**values)).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="log", entity="activity", key=str(activity_id), company_id=company.id,
                 after={"customer": code, "kind": activity.kind, "occurred_on": activity.occurred_on,
                        "invoice": activity.invoice, "outcome": values["outcome"],
                        "next_follow_up": activity.next_follow_up})
    task = None
    if activity.next_follow_up is not None:
        title = values["outcome"] or f"follow up on the {activity.kind}"
        task = create_task(conn, company, row.id, "follow_up", activity.next_follow_up, row.collector, title,
                           f"activity:{activity_id}", actor)
    return {**_json(values, activity_id, code, activity.invoice), "task": task}


def _json(values: dict, activity_id: int, code: str, invoice: str | None) -> dict:
    return {"id": activity_id, "customer": code, "kind": values["kind"],
            "occurred_on": values["occurred_on"].isoformat(), "contact": values["contact"], "invoice": invoice,
            "outcome": values["outcome"], "notes": values["notes"],
            "next_follow_up": values["next_follow_up"] and values["next_follow_up"].isoformat(),
            "actor": values["actor"]}


def list_activities(conn: Connection, company: Company, scope: Scope, code: str, limit: int = 200) -> list[dict]:
    """A customer's activities, newest first."""
    row = customer_row(conn, company, scope, code)
    a, i = activities.c, invoices.c
    rows = conn.execute(select(activities, i.number).select_from(activities.outerjoin(invoices, i.id == a.invoice_id))
                        .where(a.company_id == company.id, a.customer_id == row.id)
                        .order_by(a.occurred_on.desc(), a.id.desc()).limit(limit)).all()
    return [_json(r._mapping, r.id, code, r.number) for r in rows]
