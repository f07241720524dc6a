"""The collectors' day: the worklist, the activity log, contact persons, tasks and escalation cases.
Collectors and sales work their portfolio only (404 outside it); cases are for credit managers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, committed
from credo.api.worklist_schemas import (ActivityIn, CancellationIn, CaseIn, ClosureIn, CompletionIn, ContactIn,
                                        RecoveryIn, TaskIn)
from credo.domain.access import Permission
from credo.services.collections import activities, cases, contacts, tasks
from credo.services.collections.worklist import worklist
from credo.services.credit.check import amount_of
from credo.services.users import Principal

router = APIRouter(tags=["collections"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)
Worker = allowed(Permission.collections_work)
Escalator = allowed(Permission.dunning_run)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]






@router.get("/worklist", summary="The worklist for a day: customers needing attention, highest priority first",
            dependencies=[Reader])
def worklist_get(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
                 collector: Annotated[str | None, Query(description="One collector's portfolio code")] = None) -> dict:
    return worklist(conn, company, scope, as_of, collector).to_json()


@router.get("/customers/{code}/activities", summary="A customer's activity log, newest first", dependencies=[Reader])
def activities_get(code: str, conn: Db, company: CompanyDep, scope: ScopeDep) -> list[dict]:
    return activities.list_activities(conn, company, scope, code)


@router.post("/customers/{code}/activities", summary="Log a contact (a follow-up date raises a task)", status_code=201)
def activity_post(code: str, body: ActivityIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                  who: Principal = Worker) -> dict:
    activity = activities.Activity(body.kind, body.occurred_on or today, body.contact, body.invoice_number,
                                   body.outcome, body.notes, body.next_follow_up)
    return committed(conn, activities.log_activity(conn, company, scope, code, activity, actor_of(who)))


@router.get("/customers/{code}/contacts", summary="A customer's active contact persons", dependencies=[Reader])
def contacts_get(code: str, conn: Db, company: CompanyDep, scope: ScopeDep) -> list[dict]:
    return contacts.list_contacts(conn, company, scope, code)


@router.post("/customers/{code}/contacts", summary="Add a contact person", status_code=201)
def contact_post(code: str, body: ContactIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                 who: Principal = Worker) -> dict:
    person = contacts.ContactPerson(body.name, body.role, body.email, body.phone, body.language, body.receives_dunning)
    return committed(conn, contacts.add_contact(conn, company, scope, code, person, actor_of(who)))


@router.get("/tasks", summary="Open tasks, earliest due first", dependencies=[Reader])
def tasks_get(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
              assignee: Annotated[str | None, Query(description="One portfolio code's tasks")] = None) -> list[dict]:
    return tasks.open_tasks(conn, company, scope, as_of, assignee)


@router.post("/tasks", summary="Add a task (a source already raised returns its task)", status_code=201)
def task_post(body: TaskIn, conn: Db, company: CompanyDep, scope: ScopeDep, who: Principal = Worker) -> dict:
    return committed(conn, tasks.add_task(conn, company, scope, body.customer_code, body.kind, body.due_on,
                                           body.title, actor_of(who), body.assignee, body.source))


@router.post("/tasks/{task_id}/completion", summary="Complete a task with its outcome (optionally log the contact)")
def task_complete(task_id: RowId, body: CompletionIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                  who: Principal = Worker) -> dict:
    return committed(conn, tasks.complete_task(conn, company, scope, task_id, body.outcome, body.done_on or today,
                                                actor_of(who), body.log_as))


@router.post("/tasks/{task_id}/cancellation", summary="Cancel a task, saying why")
def task_cancel(task_id: RowId, body: CancellationIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                who: Principal = Worker) -> dict:
    return committed(conn, tasks.cancel_task(conn, company, scope, task_id, body.reason, today, actor_of(who)))


@router.get("/collection-cases", summary="Escalation cases (agency, legal), newest first", dependencies=[Reader])
def cases_get(conn: Db, company: CompanyDep, scope: ScopeDep,
              status: Annotated[str | None, Query(description="open or closed")] = None) -> list[dict]:
    return cases.list_cases(conn, company, scope, status)


@router.post("/collection-cases", summary="Hand a debt to an agency or legal, with the expected net", status_code=201)
def case_post(body: CaseIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
              who: Principal = Escalator) -> dict:
    amount = None if body.amount is None else amount_of(body.amount)
    return committed(conn, cases.open_case(
        conn, company, scope, body.customer_code, body.kind, body.handler, body.opened_on or today, actor_of(who),
        amount_of(body.recovery_rate, "recovery_rate"), amount, amount_of(body.fixed_cost, "fixed_cost"),
        amount_of(body.commission_rate, "commission_rate"), body.notes, body.accept_loss))


@router.post("/collection-cases/{case_id}/recovery", summary="Record an amount the handler recovered")
def case_recovery(case_id: RowId, body: RecoveryIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                  who: Principal = Escalator) -> dict:
    return committed(conn, cases.record_recovery(conn, company, scope, case_id, amount_of(body.amount), actor_of(who)))


@router.post("/collection-cases/{case_id}/closure", summary="Close an escalation case")
def case_closure(case_id: RowId, body: ClosureIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                 who: Principal = Escalator) -> dict:
    return committed(conn, cases.close_case(conn, company, scope, case_id, body.closed_on or today, actor_of(who),
                                             body.notes))
