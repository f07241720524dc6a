"""The collector's pages: the worklist for the day (complete a task from it), and on the customer
page the activity log, the open tasks and the contact persons, with forms to log a contact and add
a contact person. The same services as the API routes; CSRF on every form."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.domain.dunning_defaults import step_names
from credo.services.access import Scope
from credo.services.browse import holdings
from credo.services.browse.customers import customer_row
from credo.services.collections import activities, contacts, tasks
from credo.services.collections.worklist import worklist
from credo.store import collections_tables as t
from credo.store.collections_tables import ACTIVITY_KINDS
from credo.web.credit import _changed
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Worker = viewer(P.collections_work)
KIND_LABELS = {"call": N_("call"), "email": N_("email"), "sms": N_("SMS"), "letter": N_("letter"),
               "visit": N_("visit"), "meeting": N_("meeting"), "note": N_("note"),
               "account_manager": N_("account manager"), "follow_up": N_("follow-up"), "review": N_("review"),
               "order_block": N_("order block"), "agency": N_("collection agency"), "legal": N_("legal action")}
ROLE_LABELS = {"finance": N_("finance"), "purchasing": N_("purchasing"), "owner": N_("owner"), "other": N_("other")}


def customer_desk(conn, company, scope: Scope, code: str, today: date) -> dict:
    """What the customer page shows of the collectors' work (each change to it is audited: the page
    keeps it per ledger version; whether the visitor may add to it is the page's to say)."""
    row = customer_row(conn, company, scope, code)
    held = holdings.of(conn, company.id, row.id)  # none read of a kind it has none of
    return {"activities": activities.list_activities(conn, company, scope, code, 50) if held(t.activities) else [],
            "contacts": contacts.list_contacts(conn, company, scope, code) if held(t.contacts) else [],
            "tasks": tasks.open_tasks(conn, company, scope, today, customer_id=row.id) if held(t.tasks) else [],
            "kinds": KIND_LABELS, "activity_kinds": ACTIVITY_KINDS, "roles": ROLE_LABELS, "today": today}


def _worklist(view: View, conn, company, as_of: date, status: int = 200, error: str | None = None):
    collector = view.request.query_params.get("collector") or None
    board = worklist(conn, company, view.scope, as_of, collector)
    return render(view, "worklist.html", status, board=board, as_of=as_of, error=error, kinds=KIND_LABELS,
                  steps=step_names(view.lang.code),  # the ladders' own names in the page's language
                  tasks=[t for t in tasks.open_tasks(conn, company, view.scope, as_of) if t["due"]],
                  done=view.request.query_params.get("done"))


@router.get("/worklist")
def worklist_page(conn: Db, company: CompanyDep, view: View = Worker, as_of: str | None = None):
    return _worklist(view, conn, company, day(as_of, "as_of") or view.today)


@router.post("/worklist/tasks/{task_id}/completion")
def task_complete(task_id: int, conn: Db, company: CompanyDep, view: View = Worker,
                  outcome: Annotated[str, Form()] = "", log_call: Annotated[str, Form()] = ""):
    today = view.today
    return _changed(conn, lambda: tasks.complete_task(conn, company, view.scope, task_id, outcome, today,
                                                      f"user:{view.who.username}", "call" if log_call else None),
                    lambda status, error: _worklist(view, conn, company, today, status, error),
                    lambda done: view.link("/worklist", done=done["id"]))


@router.post("/customers/{code}/activities")
def activity_log(code: str, conn: Db, company: CompanyDep, view: View = Worker,
                 kind: Annotated[str, Form()] = "call", occurred_on: Annotated[str, Form()] = "",
                 contact: Annotated[str, Form()] = "", outcome: Annotated[str, Form()] = "",
                 notes: Annotated[str, Form()] = "", next_follow_up: Annotated[str, Form()] = ""):
    activity = activities.Activity(kind, day(occurred_on, "occurred_on") or view.today, contact, None, outcome,
                                   notes, day(next_follow_up, "next_follow_up"))
    activities.log_activity(conn, company, view.scope, code, activity, f"user:{view.who.username}")
    conn.commit()
    return RedirectResponse(f"/customers/{code}#activities", status_code=303)


@router.post("/customers/{code}/contacts")
def contact_add(code: str, conn: Db, company: CompanyDep, view: View = Worker,
                name: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
                email: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
                receives_dunning: Annotated[str, Form()] = ""):
    person = contacts.ContactPerson(name, role, email, phone, None, bool(receives_dunning))
    contacts.add_contact(conn, company, view.scope, code, person, f"user:{view.who.username}")
    conn.commit()
    return RedirectResponse(f"/customers/{code}#contacts", status_code=303)
