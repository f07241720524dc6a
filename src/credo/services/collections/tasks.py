"""The collectors' tasks: calls, visits, the account manager's calls, follow-ups and reviews, each
due on a day and assigned to a portfolio code. A task raised by something (a dunning send, an
activity's follow-up date, the care schedule) carries that as its `source`: the store keeps
(company, source) unique, and creating it again returns the task already there and writes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.store.collections_tables import ACTIVITY_KINDS, TASK_KINDS, tasks
from credo.store.tables import customers


def _json(row) -> dict:
    return {"id": row.id, "customer": row.customer, "name": row.name, "kind": row.kind,
            "due_on": row.due_on.isoformat(), "assignee": row.assignee, "status": row.status, "title": row.title,
            "source": row.source, "done_on": row.done_on and row.done_on.isoformat(), "outcome": row.outcome}


def _query():
    t, c = tasks.c, customers.c
    return select(tasks, c.code.label("customer"), c.name).select_from(tasks.join(customers, c.id == t.customer_id))


def create_task(conn: Connection, company: Company, customer_id: int, kind: str, due_on: date,
                assignee: str | None, title: str, source: str | None, actor: str) -> dict:
    """A new open task (audit-logged); with a source already raised, the task already there
    (`created` False) and nothing written. The dunning send step calls this for its call, visit
    and account-manager steps."""
    if kind not in TASK_KINDS:
        raise InvalidInput(f"task kind {kind!r}: use one of {', '.join(TASK_KINDS)}")
    if not title.strip():
        raise InvalidInput("a task needs a title")
    t = tasks.c
    if source is not None:
        found = conn.execute(_query().where(t.company_id == company.id, t.source == source)).first()
        if found is not None:
            return {**_json(found), "created": False}
    values = dict(company_id=company.id, customer_id=customer_id, kind=kind, due_on=due_on,
                  assignee=assignee or None, status="open", source=source, title=title.strip()[:300],
                  created_at=clock.now(), actor=actor)
    task_id = conn.execute(insert(tasks).values(**values)).inserted_primary_key[0]
    row = conn.execute(_query().where(t.id == task_id)).one()
    audit.record(conn, actor=actor, action="create", entity="task", key=str(task_id), company_id=company.id,
                 after={k: values[k] for k in ("kind", "due_on", "assignee", "title", "source")} | {"customer": row.customer})
    return {**_json(row), "created": True}


def add_task(conn: Connection, company: Company, scope: Scope, code: str, kind: str, due_on: date,
             title: str, actor: str, assignee: str | None = None, source: str | None = None) -> dict:
    """A task for a customer the scope sees; assigned to its collector unless told otherwise."""
    row = customer_row(conn, company, scope, code)
    return create_task(conn, company, row.id, kind, due_on, assignee or row.collector, title, source, actor)


def task_row(conn: Connection, company: Company, scope: Scope, task_id: int):
    """The task if its customer is in the scope; NotFound otherwise."""
    row = conn.execute(_query().where(tasks.c.company_id == company.id, tasks.c.id == task_id,
                                      scope.customers())).first()
    if row is None:
        raise NotFound(f"no task {task_id}")
    return row


def _close(conn, company, scope, task_id, status, outcome, done_on, actor) -> dict:
    row = task_row(conn, company, scope, task_id)
    if row.status != "open":
        raise Conflict(f"task {task_id} is {row.status} already")
    conn.execute(update(tasks).where(tasks.c.id == task_id).values(status=status, outcome=outcome, done_on=done_on))
    audit.record(conn, actor=actor, action="complete" if status == "done" else "cancel", entity="task",
                 key=str(task_id), company_id=company.id, before={"status": "open"},
                 after={"status": status, "outcome": outcome, "done_on": done_on})
    return _json(task_row(conn, company, scope, task_id))


def complete_task(conn: Connection, company: Company, scope: Scope, task_id: int, outcome: str, done_on: date,
                  actor: str, log_as: str | None = None, contact: str | None = None) -> dict:
    """Mark a task done with its outcome; with `log_as` (an activity kind), log the contact too."""
    if not outcome.strip():
        raise InvalidInput("say what came of it (the outcome)")
    if log_as is not None and log_as not in ACTIVITY_KINDS:
        raise InvalidInput(f"activity kind {log_as!r}: use one of {', '.join(ACTIVITY_KINDS)}")
    done = _close(conn, company, scope, task_id, "done", outcome.strip(), done_on, actor)
    if log_as is not None:
        from credo.services.collections.activities import Activity, log_activity

        done["activity"] = log_activity(conn, company, scope, done["customer"],
                                        Activity(log_as, done_on, contact, outcome=outcome.strip()[:200]), actor)
    return done


def cancel_task(conn: Connection, company: Company, scope: Scope, task_id: int, reason: str, done_on: date,
                actor: str) -> dict:
    if not reason.strip():
        raise InvalidInput("a cancelled task needs a reason")
    return _close(conn, company, scope, task_id, "cancelled", reason.strip(), done_on, actor)


def open_tasks(conn: Connection, company: Company, scope: Scope, as_of: date, assignee: str | None = None,
               customer_id: int | None = None) -> list[dict]:
    """Every open task the scope sees, earliest due first; `due` marks those due on or before the date."""
    t = tasks.c
    query = _query().where(t.company_id == company.id, t.status == "open", scope.customers())
    if assignee is not None:
        query = query.where(t.assignee == assignee)
    if customer_id is not None:
        query = query.where(t.customer_id == customer_id)
    rows = conn.execute(query.order_by(t.due_on, t.id)).all()
    return [{**_json(row), "due": row.due_on <= as_of} for row in rows]
