"""Credit insurance (信用保险): policies, insured limits, the insured/uninsured split, the buyers
beyond their limit, the reporting and claim deadlines, overdue-buyer reports and claims. Reading
needs credit.read (a sales user: the portfolio); writing risk.manage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.insurance_schemas import (ClaimIn, ClaimStatusIn, LimitDecisionIn, LimitRequestIn, OverdueReportIn,
                                         PolicyIn)
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, committed, person_of
from credo.domain.access import Permission
from credo.services.credit.check import amount_of
from credo.services.risk import insurance, insurance_claims
from credo.services.users import Principal

router = APIRouter(tags=["credit insurance"], responses=ERRORS)
Reader = allowed(Permission.credit_read)
Manager = allowed(Permission.risk_manage)
ClaimId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]
PREFIX = "/risk/insurance"


@router.get(f"{PREFIX}/policies", summary="Credit insurance policies, by period", dependencies=[Reader])
def policies_list(conn: Db, company: CompanyDep) -> list[dict]:
    return insurance.list_policies(conn, company)


@router.post(f"{PREFIX}/policies", summary="Record a credit insurance policy", status_code=201)
def policy_add(body: PolicyIn, conn: Db, company: CompanyDep, who: Principal = Manager) -> dict:
    return committed(conn, insurance.add_policy(
        conn, company, actor_of(who), insurer=body.insurer, number=body.number, period_from=body.period_from,
        period_to=body.period_to, coverage_share=body.coverage_share,
        deductible=amount_of(body.deductible, "deductible"), currency=body.currency,
        max_credit_days=body.max_credit_days, report_overdue_days=body.report_overdue_days,
        claim_days=body.claim_days, claim_from=body.claim_from, alert_days=body.alert_days))


@router.get(f"{PREFIX}/limits", summary="Insured limit requests and decisions, oldest first", dependencies=[Reader])
def limits_list(conn: Db, company: CompanyDep, scope: ScopeDep,
                customer: Annotated[str | None, Query(description="One buyer's code")] = None,
                policy: Annotated[str | None, Query(description="One policy's number")] = None) -> list[dict]:
    return insurance.list_limits(conn, company, scope, customer, policy)


@router.post(f"{PREFIX}/limits/requests", summary="Record a request to the insurer for a buyer's limit",
             status_code=201)
def limit_request(body: LimitRequestIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                  who: Principal = Manager) -> dict:
    return committed(conn, insurance.request_limit(
        conn, company, scope, actor_of(who), policy=body.policy, customer=body.customer_code,
        amount=amount_of(body.amount), requested_on=body.requested_on or today, note=body.note,
        to_open_period=body.to_open_period))


@router.post(f"{PREFIX}/limits/decisions", summary="Record the insurer's decision: a limit granted or refused (0)",
             status_code=201)
def limit_decision(body: LimitDecisionIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                   who: Principal = Manager) -> dict:
    return committed(conn, insurance.grant_limit(
        conn, company, scope, actor_of(who), policy=body.policy, customer=body.customer_code,
        amount=amount_of(body.amount), decided_on=body.decided_on or today, valid_from=body.valid_from,
        valid_until=body.valid_until, request_id=body.request_id, reference=body.reference, note=body.note,
        to_open_period=body.to_open_period))


@router.get(f"{PREFIX}/split", summary="Each insured buyer's exposure split into insured and uninsured",
            dependencies=[Reader])
def split(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> list[dict]:
    return insurance.insured_split(conn, company, as_of, scope)


@router.get(f"{PREFIX}/beyond-limit", summary="The buyers sold to beyond their insured limit, with the excess",
            dependencies=[Reader])
def beyond_limit(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> list[dict]:
    return insurance.beyond_insured_limit(conn, company, as_of, scope)


@router.get(f"{PREFIX}/deadlines", summary="Reporting and claim deadlines coming up, or passed and not done",
            dependencies=[Reader])
def deadlines(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
              ahead: Annotated[int | None, Query(ge=0, le=366, description="Days ahead (default: each policy's)")]
              = None) -> list[dict]:
    return insurance.deadlines(conn, company, as_of, ahead, scope)


@router.get(f"{PREFIX}/overdue-reports", summary="Overdue buyers reported to the insurer", dependencies=[Reader])
def reports_list(conn: Db, company: CompanyDep, scope: ScopeDep) -> list[dict]:
    return insurance.list_reports(conn, company, scope)


@router.post(f"{PREFIX}/overdue-reports", summary="Record an overdue buyer reported to the insurer (once a day)",
             status_code=201)
def report_add(body: OverdueReportIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
               who: Principal = Manager) -> dict:
    return committed(conn, insurance.report_overdue(
        conn, company, scope, actor_of(who), policy=body.policy, customer=body.customer_code,
        reported_on=body.reported_on or today, reference=body.reference, note=body.note))


@router.get(f"{PREFIX}/claims", summary="Insurance claims, newest first", dependencies=[Reader])
def claims_list(conn: Db, company: CompanyDep, scope: ScopeDep, status: Annotated[
        str | None, Query(description="draft, filed, accepted, rejected or paid")] = None) -> list[dict]:
    return insurance_claims.list_claims(conn, company, scope, status)


@router.post(f"{PREFIX}/claims", summary="Draft a claim on a buyer (a second person files it)", status_code=201)
def claim_file(body: ClaimIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
               who: Principal = Manager) -> dict:
    return committed(conn, insurance_claims.file_claim(
        conn, company, scope, actor_of(who), policy=body.policy, customer=body.customer_code,
        amount=amount_of(body.amount), filed_on=body.filed_on, invoice_numbers=body.invoice_numbers,
        reference=body.reference, note=body.note, on=body.as_of or today))


@router.post(f"{PREFIX}/claims/{{claim_id}}/status", summary="Move a claim to its next status")
def claim_status(claim_id: ClaimId, body: ClaimStatusIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                 today: Today, who: Principal = Manager) -> dict:
    paid = None if body.paid_amount is None else amount_of(body.paid_amount, "paid amount")
    return committed(conn, insurance_claims.update_claim(
        conn, company, scope, person_of(who), claim_id, body.status, on=body.on or today, paid_amount=paid,
        reference=body.reference, note=body.note))
