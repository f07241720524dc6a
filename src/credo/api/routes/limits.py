"""Credit limits: the credit check, the credit queue, holds, reviews due and limit requests
(maker-checker, 四眼原则). Collectors and sales see their portfolio only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.limit_schemas import (ApprovalIn, CreditCheckIn, CreditSettingsIn, DecisionIn, HoldIn, LimitRequestIn,
                                     ReleaseIn)
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, committed, person_of
from credo.domain.access import Permission
from credo.services.credit import lines, queue, requests
from credo.services.credit.check import amount_of, check_credit
from credo.services.credit.requests import Proposal
from credo.services.credit.settings import change_credit_settings, credit_settings_of, settings_json
from credo.services.users import Principal

router = APIRouter(tags=["credit"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)
Approver = allowed(Permission.limits_approve)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]






@router.post("/credit-checks", summary="Credit check: approve, warn or block an amount, with every reason",
             dependencies=[Reader])
def credit_check(body: CreditCheckIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today) -> dict:
    return check_credit(conn, company, body.customer_code, amount_of(body.amount), body.as_of or today,
                        currency=body.currency and body.currency.upper(), scope=scope).to_json()


@router.get("/credit/queue", summary="The credit queue: what a credit check blocked", dependencies=[Reader])
def queue_list(conn: Db, company: CompanyDep, scope: ScopeDep,
               status: Annotated[str, Query(description="blocked, released or all")] = "blocked") -> list[dict]:
    return queue.list_queue(conn, company, scope, None if status == "all" else status)


@router.post("/credit/queue/{item_id}/release", summary="Release a blocked item with the reason (audit-logged)")
def queue_release(item_id: RowId, body: ReleaseIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                  who: Principal = Approver) -> dict:
    return committed(conn, queue.release(conn, company, scope, item_id, body.reason, actor_of(who)))


@router.get("/credit/reviews", summary="Credit lines whose review date has come", dependencies=[Reader])
def reviews_due(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> list[dict]:
    return lines.reviews_due(conn, company, scope, as_of)


@router.post("/customers/{code}/hold", summary="Put a customer on credit hold, or lift the hold")
def customer_hold(code: str, body: HoldIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                  who: Principal = Approver) -> dict:
    return committed(conn, lines.set_hold(conn, company, scope, code, body.on_hold, body.reason,
                                           actor_of(who), body.held_from or today))


@router.post("/limit-requests", summary="Request a limit or term change (maker-checker)", status_code=201)
def limit_request(body: LimitRequestIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                  who: Principal = allowed(Permission.limits_request)) -> dict:
    proposal = Proposal(amount_of(body.amount), body.term_days, body.rating, body.reason, body.currency,
                        body.valid_from, body.valid_to, body.review_due, body.policy_exception)
    return committed(conn, requests.request_limit(conn, company, scope, person_of(who), proposal,
                                                   customer=body.customer_code, group=body.group_code, today=today,
                                                   to_open_period=body.to_open_period))


@router.get("/limit-requests", summary="Limit requests and their decisions, newest first", dependencies=[Reader])
def limit_requests(conn: Db, company: CompanyDep, scope: ScopeDep,
                   status: Annotated[str | None, Query(description="pending, approved, rejected or withdrawn")] = None,
                   ) -> list[dict]:
    return requests.list_requests(conn, company, scope, status)


@router.get("/limit-requests/{request_id}", summary="One limit request with its decision", dependencies=[Reader])
def limit_request_get(request_id: RowId, conn: Db, company: CompanyDep, scope: ScopeDep) -> dict:
    return requests.show_request(conn, company, scope, request_id)


@router.post("/limit-requests/{request_id}/approval", summary="Approve a limit request (four eyes, levels by amount)")
def limit_approve(request_id: RowId, body: ApprovalIn, conn: Db, company: CompanyDep, today: Today,
                  who: Principal = Approver) -> dict:
    return committed(conn, requests.approve(conn, company, request_id, person_of(who), body.note, today,
                                            to_open_period=body.to_open_period))


@router.post("/limit-requests/{request_id}/rejection", summary="Reject a limit request, saying why")
def limit_reject(request_id: RowId, body: DecisionIn, conn: Db, company: CompanyDep,
                 who: Principal = Approver) -> dict:
    return committed(conn, requests.reject(conn, company, request_id, person_of(who), body.note))


@router.post("/limit-requests/{request_id}/withdrawal", summary="Withdraw your own pending limit request")
def limit_withdraw(request_id: RowId, body: DecisionIn, conn: Db, company: CompanyDep,
                   who: Principal = allowed(Permission.limits_request)) -> dict:
    return committed(conn, requests.withdraw(conn, company, request_id, person_of(who), body.note))


@router.get("/credit/settings", summary="The company's credit settings: check points, tolerance, levels",
            dependencies=[Reader])
def credit_settings_get(conn: Db, company: CompanyDep) -> dict:
    return settings_json(credit_settings_of(conn, company))


@router.put("/credit/settings", summary="Change the credit settings given (the others stay)")
def credit_settings_put(body: CreditSettingsIn, conn: Db, company: CompanyDep,
                        who: Principal = allowed(Permission.settings_manage)) -> dict:
    points = None if body.check_points is None else ",".join(body.check_points)
    return committed(conn, settings_json(change_credit_settings(
        conn, company, actor_of(who), check_points=points, tolerance_share=body.tolerance_share,
        overdue_days=body.overdue_days, approval_levels=body.approval_levels)))
