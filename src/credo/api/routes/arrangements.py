"""Disputes (争议发票), promises to pay (承诺付款) and payment plans (分期付款). Reading needs
ledger.read, writing collections.work; collectors and sales see and work their portfolio only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from credo.api.arrangement_schemas import (CancellationIn, DisputeIn, InvestigationIn, PlanIn, PromiseIn,
                                           ResolutionIn)
from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf, IdempotencyKey, Today
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, answer_once, body_bytes, committed
from credo.domain.access import Permission
from credo.domain.money import ZERO
from credo.services import idempotency
from credo.services.collections import disputes, plans, promises
from credo.services.collections.dispute_report import disputes_report
from credo.services.credit.check import amount_of
from credo.services.users import Principal

router = APIRouter(tags=["collections"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)
Worker = allowed(Permission.collections_work)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]
Customer = Annotated[str | None, Query(description="Only this customer's")]






@router.get("/disputes", summary="Disputes oldest first (unresolved by default), by reason, owner, customer",
            dependencies=[Reader])
def disputes_list(conn: Db, company: CompanyDep, scope: ScopeDep, customer: Customer = None,
                  status: Annotated[str, Query(description="unresolved, open, investigating, resolved or all")]
                  = "unresolved", reason: str | None = None, owner: str | None = None) -> list[dict]:
    return disputes.list_disputes(conn, company, scope, status=None if status == "all" else status,
                                  customer=customer, reason=reason, owner=owner)


@router.post("/disputes", summary="Open a dispute on an invoice or part of it (out of dunning while open)",
             status_code=201)
def dispute_open(body: DisputeIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                 who: Principal = Worker) -> dict:
    amount = None if body.amount is None else amount_of(body.amount)
    return committed(conn, disputes.open_dispute(
        conn, company, scope, invoice=body.invoice_number, reason=body.reason, owner=body.owner, actor=actor_of(who),
        amount=amount, due_on=body.due_on, notes=body.notes, opened_on=body.opened_on or today))


@router.post("/disputes/{dispute_id}/investigation", summary="Move an open dispute to investigating")
def dispute_investigate(dispute_id: RowId, body: InvestigationIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                        who: Principal = Worker) -> dict:
    return committed(conn, disputes.investigate(conn, company, scope, dispute_id, actor_of(who), body.notes))


@router.post("/disputes/{dispute_id}/resolution",
             summary="Resolve a dispute: valid, or a credit note for all or part of it (honours Idempotency-Key)")
def dispute_resolve(dispute_id: RowId, body: ResolutionIn, request: Request, conn: Db, company: CompanyDep,
                    scope: ScopeDep, today: Today, key: IdempotencyKey = None, raw: bytes = Depends(body_bytes),
                    who: Principal = Worker):
    def produce() -> idempotency.Answer:
        amount = None if body.amount is None else amount_of(body.amount)
        return idempotency.Answer(200, disputes.resolve(
            conn, company, scope, dispute_id, body.resolution, actor_of(who), resolved_on=body.resolved_on or today,
            amount=amount, credit_note=body.credit_note_number, notes=body.notes))
    return answer_once(request, conn, who, key, raw, produce)


@router.get("/reports/disputes", summary="Open disputes as of a date by reason, age and owner (base currency)",
            dependencies=[Reader])
def disputes_report_get(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> dict:
    return disputes_report(conn, company, scope, as_of).to_json()


@router.get("/promises", summary="Promises to pay made by a date, with their standing (open, kept, broken)",
            dependencies=[Reader])
def promises_list(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf, customer: Customer = None,
                  standing: Annotated[str | None, Query(description="open, kept or broken")] = None) -> list[dict]:
    return promises.list_promises(conn, company, scope, as_of, customer=customer, standing=standing)


@router.post("/promises", summary="Record a customer's promise to pay", status_code=201)
def promise_add(body: PromiseIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                who: Principal = Worker) -> dict:
    return committed(conn, promises.add_promise(
        conn, company, scope, customer=body.customer_code, promised_on=body.promised_on,
        amount=amount_of(body.amount), actor=actor_of(who), made_on=body.made_on or today,
        currency=body.currency, promised_by=body.promised_by, channel=body.channel, grace_days=body.grace_days,
        invoices_covered=body.invoice_numbers, notes=body.notes))


@router.post("/promises/{promise_id}/cancellation", summary="Cancel a promise to pay (it counts no more)")
def promise_cancel(promise_id: RowId, body: CancellationIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                   today: Today, who: Principal = Worker) -> dict:
    return committed(conn, promises.cancel_promise(conn, company, scope, promise_id, actor_of(who),
                                                    cancelled_on=body.cancelled_on or today, reason=body.reason))


@router.get("/payment-plans", summary="Payment plans agreed by a date, with the next instalment and breaches",
            dependencies=[Reader])
def plans_list(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf, customer: Customer = None,
               breached: Annotated[bool, Query(description="Only plans with a missed instalment")] = False,
               ) -> list[dict]:
    return plans.list_plans(conn, company, scope, as_of, customer=customer, breached=breached)


@router.post("/payment-plans", summary="Agree a payment plan over open invoices (the schedule is stored)",
             status_code=201)
def plan_agree(body: PlanIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
               who: Principal = Worker) -> dict:
    return committed(conn, plans.agree_plan(
        conn, company, scope, customer=body.customer_code, invoices_covered=body.invoice_numbers, count=body.count,
        frequency=body.frequency, first_due=body.first_due, actor=actor_of(who), agreed_on=body.agreed_on or today,
        annual_rate=amount_of(body.annual_rate, "annual_rate") if body.annual_rate else ZERO,
        grace_days=body.grace_days, amount=None if body.amount is None else amount_of(body.amount),
        notes=body.notes))


@router.get("/payment-plans/{plan_id}", summary="One payment plan with each instalment's standing",
            dependencies=[Reader])
def plan_show(plan_id: RowId, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> dict:
    return plans.show_plan(conn, company, scope, plan_id, as_of)


@router.post("/payment-plans/{plan_id}/cancellation", summary="Cancel a payment plan (the due dates stand again)")
def plan_cancel(plan_id: RowId, body: CancellationIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                who: Principal = Worker) -> dict:
    return committed(conn, plans.cancel_plan(conn, company, scope, plan_id, actor_of(who),
                                              cancelled_on=body.cancelled_on or today, reason=body.reason))
