"""Relationship care (回访): courtesy visits and calls by customer tier, raised as tasks. A
customer rated A or B, or a key account, is due one 90 days after its last visit, call or
meeting, every other customer after 180 (`domain.worklist.CarePolicy`). A run raises at most the
policy's `tasks_per_run` (the rest wait for the next runs, longest waiting first) and none for a
customer handed to an agency or to legal action (a collection case open on the day). The daily
job calls `schedule_follow_ups`; each task's source `care:{customer}:{due date}` makes it idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, func, or_, select

from credo.domain.worklist import DEFAULT_CARE, CareCustomer, CarePolicy, care_due, care_order, is_key
from credo.services.collections.tasks import create_task
from credo.services.companies import Company
from credo.services.credit.lines import ratings_in_force
from credo.store.collections_tables import activities, collection_cases, tasks
from credo.store.tables import customers, invoices

CONTACT_KINDS = ("visit", "call", "meeting")
ACTIVE_DAYS = 366  # a customer invoiced within this many days is looked after


def _care_customers(conn: Connection, company: Company, as_of: date) -> list[tuple[CareCustomer, object]]:
    c, i, a = customers.c, invoices.c, activities.c
    active = select(i.customer_id).where(i.company_id == company.id, i.issue_date > as_of - timedelta(days=ACTIVE_DAYS),
                                         i.issue_date <= as_of)
    last = dict(conn.execute(select(a.customer_id, func.max(a.occurred_on)).where(
        a.company_id == company.id, a.kind.in_(CONTACT_KINDS), a.occurred_on <= as_of).group_by(a.customer_id)).all())
    ratings = ratings_in_force(conn, company, as_of)
    rows = conn.execute(select(c.id, c.code, c.segment, c.collector, c.salesperson).where(
        c.company_id == company.id, c.id.in_(active)).order_by(c.code)).all()
    return [(CareCustomer(r.code, r.segment, ratings.get(r.id), last.get(r.id)), r) for r in rows]


def _pending(conn: Connection, company: Company) -> set[str]:
    """Customer codes with a care task still open (no second one is raised beside it)."""
    t = tasks.c
    sources = conn.execute(select(t.source).where(t.company_id == company.id, t.status == "open",
                                                  t.source.like("care:%"))).scalars()
    return {source.removeprefix("care:").rsplit(":", 1)[0] for source in sources}


def _in_cases(conn: Connection, company: Company, as_of: date) -> set[int]:
    """Customer ids handed to an agency or to legal action: a collection case open on the date."""
    k = collection_cases.c
    return set(conn.execute(select(k.customer_id).where(
        k.company_id == company.id, k.opened_on <= as_of, or_(k.closed_on.is_(None), k.closed_on > as_of))).scalars())


def schedule_follow_ups(conn: Connection, company: Company, as_of: date, actor: str = "system:care",
                        policy: CarePolicy = DEFAULT_CARE) -> list[dict]:
    """Raise a courtesy visit (the best customers) or call (the others) for the customers due one
    by the date, assigned to its sales person, else its collector: at most `policy.tasks_per_run`,
    the longest waiting first (`domain.worklist.care_order`). The tasks raised. A customer with a
    care task still open gets no second one, nor does one with a collection case open on the date
    (an agency or the lawyers speak to it now); running again raises nothing new."""
    found = _care_customers(conn, company, as_of)
    in_cases = _in_cases(conn, company, as_of)
    found = [(care, row) for care, row in found if row.id not in in_cases]
    rows = {care.customer: (care, row) for care, row in found}
    pending = _pending(conn, company)
    customers = [care for care, _ in found]
    raised = []
    for code, due_on in care_order(care_due(customers, as_of, policy), customers, policy):
        if len(raised) >= policy.tasks_per_run:
            break
        if code in pending:
            continue
        care, row = rows[code]
        kind, title = ("visit", "courtesy visit (回访)") if is_key(care, policy) else ("call", "courtesy call (回访)")
        task = create_task(conn, company, row.id, kind, due_on, row.salesperson or row.collector, title,
                           f"care:{code}:{due_on.isoformat()}", actor)
        if task["created"]:
            raised.append(task)
    return raised
